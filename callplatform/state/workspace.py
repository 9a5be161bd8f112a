"""The workspace a tab acts in: resolved on the server from the login, for every event
that needs it (`acting_member`), and the header's switcher (`WorkspaceState`), shown
only to a user who belongs to more than one workspace."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform.accounts import login_workspace
from callplatform.common.errors import ServiceError
from callplatform.db import read_scope, session_scope
from callplatform.state.session import SessionState
from callplatform.workspaces import access, membership


def _member(token: str, user_id: int) -> access.Member | None:
    with read_scope() as session:
        return login_workspace.acting_member(session=session, token=token, user_id=user_id)


async def acting_member(state: SessionState) -> access.Member | None:
    """The tab's user as a member of the workspace their login acts in (None: logged
    out). Never from a state var: asked of the database in a worker thread."""
    user = await state._current_user()
    if user is None:
        return None
    return await asyncio.to_thread(_member, state._session_token(), user.id)


def _choices(user_id: int) -> list[membership.Belonging]:
    with read_scope() as session:
        return membership.workspaces_of(session=session, user_id=user_id)


def _switch(token: str, user_id: int, workspace_id) -> None:
    with session_scope() as session:
        login_workspace.switch(
            session=session, token=token, user_id=user_id, workspace_id=workspace_id
        )


class WorkspaceState(SessionState):
    workspace_id: str = ""
    workspace_name: str = ""
    # [{"id", "name"}] of the user's workspaces, only when there is more than one.
    choices: list[dict[str, str]] = []
    error: str = ""

    @rx.event
    async def load(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        belongs = await asyncio.to_thread(_choices, member.user_id)
        self.workspace_id = str(member.workspace_id)
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
            await asyncio.to_thread(_switch, self._session_token(), user.id, workspace_id)
        except ServiceError as exc:
            self.error = exc.message
            return None
        return rx.redirect(self.router.url.path)
