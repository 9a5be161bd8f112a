"""The workspace a tab acts in: resolved on the server from the login, for every event
that needs it (`acting_member`), and the header's switcher (`WorkspaceState`), shown
only to a user who belongs to more than one workspace. When the user's place in a
workspace changes (removed, role changed, switched in another tab: the live topic
`WORKSPACE`), every open tab re-checks (`recheck`) and reloads its page if it must."""

from __future__ import annotations

import asyncio
import contextvars

import reflex as rx

from callplatform import routes
from callplatform.accounts import login_workspace
from callplatform.common.errors import ServiceError
from callplatform.db import read_scope, session_scope
from callplatform.live import WORKSPACE, track
from callplatform.state import live
from callplatform.state import session as session_state
from callplatform.state.session import SessionState
from callplatform.workspaces import access, membership, shared


def _member(token: str, user_id: int) -> access.Member | None:
    with read_scope() as session:
        return login_workspace.acting_member(session=session, token=token, user_id=user_id)


# The member the handlers of one event act as (LiveState.changed's refreshes), read once:
# tied to the session check `SessionState._checked_user` made for that event.
_resolved: contextvars.ContextVar[tuple[object, access.Member | None] | None] = (
    contextvars.ContextVar("resolved_member", default=None)
)


async def acting_member(state: SessionState) -> access.Member | None:
    """The tab's user as a member of the workspace their login acts in (None: logged
    out). Never from a state var: asked of the database in a worker thread."""
    user = await state._current_user()
    if user is None:
        return None
    checked, known = session_state.checked_now(), _resolved.get()
    if checked is not None and known is not None and known[0] is checked:
        return known[1]
    member = await asyncio.to_thread(_member, state._session_token(), user.id)
    if checked is not None and checked[0] == state._session_token():
        _resolved.set((checked, member))
    return member


def _choices(user_id: int, workspace_id: int) -> tuple[list[membership.Belonging], bool]:
    """The user's workspaces, and whether the one they act in is a team."""
    with read_scope() as session:
        belongs = membership.workspaces_of(session=session, user_id=user_id)
        return belongs, shared.has_company(session=session, workspace_id=workspace_id)


def _switch(token: str, user_id: int, workspace_id) -> access.Member:
    with session_scope() as session:
        member = login_workspace.switch(
            session=session, token=token, user_id=user_id, workspace_id=workspace_id
        )
        # The login's other tabs act there from now on too: they re-check and reload.
        track.announce(session, [user_id], WORKSPACE)
        return member


class WorkspaceState(SessionState):
    workspace_id: str = ""
    workspace_name: str = ""
    role: str = ""
    # [{"id", "name"}] of the user's workspaces, only when there is more than one.
    choices: list[dict[str, str]] = []
    # Not alone: others in the workspace (or invited), or other workspaces. A solo user
    # sees no team links, only an invitation to invite their team.
    shows_team: bool = False
    error: str = ""

    @rx.event
    async def load(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        await self._show(member)

    async def _show(self, member: access.Member) -> None:
        belongs, company = await asyncio.to_thread(_choices, member.user_id, member.workspace_id)
        self.workspace_id, self.role = str(member.workspace_id), member.role.value
        self.shows_team = company or len(belongs) > 1
        self.workspace_name = next(
            (b.name for b in belongs if b.workspace_id == member.workspace_id), ""
        )
        self.choices = (
            [{"id": str(b.workspace_id), "name": b.name} for b in belongs]
            if len(belongs) > 1
            else []
        )

    @rx.event
    async def switch(self, workspace_id: str):
        """Act in another of the user's workspaces; the page reloads to show it."""
        user = await self._current_user()
        if user is None:
            return self._bounce()
        try:
            member = await asyncio.to_thread(_switch, self._session_token(), user.id, workspace_id)
        except ServiceError as exc:
            self.error = exc.message
            return None
        await self._show(member)  # this tab is there already: its re-check changes nothing
        return rx.redirect(_reloadable(self.router.url.path))

    @rx.event
    async def recheck(self):
        """The user's place in a workspace changed somewhere: if this tab's workspace or
        role is not what its page was loaded with, load the page again (a member removed
        from the workspace lands in their own, with what it shows)."""
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        was_workspace, was_role, was_name = self.workspace_id, self.role, self.workspace_name
        await self._show(member)
        if was_workspace == "" or (was_workspace, was_role) == (self.workspace_id, self.role):
            return None
        if was_workspace != self.workspace_id:
            note = f"You are now in “{self.workspace_name}”."
            if not any(c["id"] == was_workspace for c in self.choices):
                note = f"You no longer have access to “{was_name}”. " + note
            return [rx.toast.info(note), rx.redirect(_reloadable(self.router.url.path))]
        return [
            rx.toast.info(f"Your role in “{self.workspace_name}” is now {self.role}."),
            rx.redirect(_reloadable(self.router.url.path)),
        ]


def _reloadable(path: str) -> str:
    """Where to load again: the page itself, unless it shows one thing of the workspace
    left behind (a call's detail, a text thread): then its list."""
    for listing in (routes.CALLS, routes.MESSAGES):
        if path.startswith(listing + "/"):
            return listing
    return path or routes.DASHBOARD


live.refresh_on(WorkspaceState, "recheck", WORKSPACE)
