"""The Team page's state: the workspace's members and their roles, pending invitations,
inviting, removing, and making a new workspace.

Every handler asks the server who is acting (`acting_member`) and the services check the
role; what the page shows about roles only decides which buttons to offer. An
invitation's link is put straight into a read-only input (`rx.set_value`), never into a
state var: state is kept (pickled, or in Redis) on the server."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform import routes
from callplatform.common.errors import ServiceError
from callplatform.models import WorkspaceRole
from callplatform.pages.team import actions
from callplatform.pages.team.rows import InviteRow, MemberRow, member_row, read
from callplatform.state import live
from callplatform.state.session import SessionState
from callplatform.state.workspace import WorkspaceState, acting_member
from callplatform.workspaces import access

LINK_INPUT = "invite-link"


class TeamState(SessionState):
    workspace: str = ""
    members: list[MemberRow] = []
    pending: list[InviteRow] = []
    manages: bool = False
    is_owner: bool = False
    loaded: bool = False
    email_error: str = ""
    invite_note: str = ""
    invite_failed: bool = False
    inviting: bool = False
    link_shown: bool = False
    link_for: int = 0  # the invitation whose link is shown (hidden once it is used)
    remove_id: int = 0
    remove_name: str = ""
    removing: bool = False
    creating_open: bool = False
    create_error: str = ""
    creating: bool = False

    async def _refresh(self, member: access.Member) -> None:
        people, waiting, name, caps = await asyncio.to_thread(read, member)
        owners = sum(1 for p in people if p.role is WorkspaceRole.OWNER)
        self.workspace, self.manages = name, member.manages
        self.is_owner = member.role is WorkspaceRole.OWNER
        self.members = [member_row(p, member, owners, caps.get(p.user_id, "")) for p in people]
        self.pending = [InviteRow(i.id, i.email, i.role.value, i.expires_at) for i in waiting]
        if self.link_shown and all(i.id != self.link_for for i in waiting):
            self.link_shown = False  # accepted or withdrawn meanwhile: the link is dead
        self.loaded = True

    @rx.var
    def role_choices(self) -> list[str]:
        """What the viewer may make someone: owners make owners (the server checks)."""
        return ["owner", "admin", "member"] if self.is_owner else ["admin", "member"]

    @rx.var
    def alone(self) -> bool:
        return len(self.members) <= 1 and not self.pending

    @rx.event
    async def load(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        self.email_error = self.invite_note = ""
        self.remove_id, self.link_shown, self.creating_open = 0, False, False
        await self._refresh(member)
        return rx.set_value(LINK_INPUT, "")

    @rx.event
    async def refresh(self):
        """Someone joined, left, was invited or changed role (the live topic WORKSPACE)."""
        member = await acting_member(self)
        if member is not None:
            await self._refresh(member)

    @rx.event
    async def invite(self, form: dict):
        member = await acting_member(self)
        if member is None:
            yield self._bounce()
            return
        self.email_error, self.invite_note, self.inviting = "", "", True
        yield
        try:
            invited, problem = await asyncio.to_thread(
                actions.invite, member, form.get("email", ""), form.get("role", "member")
            )
        except ServiceError as exc:
            self.email_error = exc.message
            return
        finally:
            self.inviting = False
        self.invite_failed, self.link_for = bool(problem), invited.id
        self.invite_note = problem or actions.sent_note(invited.email)
        self.link_shown = True
        await self._refresh(member)
        yield rx.set_value(LINK_INPUT, invited.link)

    @rx.event
    async def show_link(self, invitation_id: int):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        try:
            link = await asyncio.to_thread(actions.link_of, member, invitation_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.invite_note, self.invite_failed, self.link_shown = "", False, True
        self.link_for = invitation_id
        return rx.set_value(LINK_INPUT, link)

    @rx.event
    def hide_link(self):
        self.link_shown = False
        return rx.set_value(LINK_INPUT, "")

    @rx.event
    async def revoke(self, invitation_id: int):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        try:
            await asyncio.to_thread(actions.revoke, member, invitation_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.link_shown = False
        await self._refresh(member)
        return [rx.set_value(LINK_INPUT, ""), rx.toast.success("Invitation withdrawn.")]

    @rx.event
    async def set_role(self, user_id: int, role: str):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        try:
            changed = await asyncio.to_thread(actions.change_role, member, user_id, role)
        except ServiceError as exc:
            await self._refresh(member)  # the select shows the role as it is
            return rx.toast.error(exc.message)
        await self._refresh(member)
        return rx.toast.success(f"{changed.name or changed.email} is now {changed.role.value}.")

    @rx.event
    def ask_remove(self, user_id: int):
        match = [m for m in self.members if m.user_id == user_id]
        if match:
            self.remove_id, self.remove_name = match[0].user_id, match[0].name or match[0].email

    @rx.event
    def cancel_remove(self):
        self.remove_id = 0

    @rx.event
    async def confirm_remove(self):
        member = await acting_member(self)
        if member is None:
            yield self._bounce()
            return
        target = self.remove_id if isinstance(self.remove_id, int) else 0
        self.removing = True
        yield
        try:
            await asyncio.to_thread(actions.remove, member, target)
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
            return
        finally:
            self.removing, self.remove_id = False, 0
        if target == member.user_id:  # left: this login now acts in another workspace
            yield rx.toast.success(f"You left “{self.workspace}”.")
            yield rx.redirect(routes.DASHBOARD)
            return
        await self._refresh(member)
        yield rx.toast.success(f"{self.remove_name} was removed from the workspace.")

    @rx.event
    def show_create(self, is_open: bool):
        self.creating_open, self.create_error = is_open is True, ""

    @rx.event
    async def create_workspace(self, form: dict):
        user = await self._current_user()
        if user is None:
            yield self._bounce()
            return
        self.create_error, self.creating = "", True
        yield
        try:
            await asyncio.to_thread(
                actions.create_and_switch, self._session_token(), user.id, form.get("name", "")
            )
        except ServiceError as exc:
            self.create_error = exc.message
            return
        finally:
            self.creating = False
        self.creating_open = False
        # The header shows the new workspace before the re-check its notice brings.
        member = await acting_member(self)
        if member is not None:
            await (await self.get_state(WorkspaceState))._show(member)
        yield rx.redirect(routes.TEAM)


live.refresh_on(TeamState, "refresh", live.WORKSPACE, route=routes.TEAM)
