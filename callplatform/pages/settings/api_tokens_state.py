"""Settings: personal API tokens (create, name, revoke) for the public REST API.

A new token is put straight into a read-only input in the page (`rx.set_value`), never
into a state var: state travels to the browser and is pickled on the server, and the
token is shown exactly once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

import reflex as rx

from callplatform import routes
from callplatform.accounts import api_tokens
from callplatform.common.errors import ServiceError
from callplatform.db import in_read_session, in_session
from callplatform.state import live
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member

NEW_TOKEN_INPUT = "new-api-token"


@dataclass
class TokenView:
    id: int = 0
    name: str = ""
    prefix: str = ""
    created_at: datetime | None = None
    last_used_at: datetime | None = None


class ApiTokensState(SessionState):
    tokens: list[TokenView] = []
    name_error: str = ""
    creating: bool = False
    token_shown: bool = False
    revoke_id: int = 0
    revoke_name: str = ""

    async def _refresh(self, user_id: int) -> None:
        # In a worker thread: a query on the event loop would stall every user.
        rows = await asyncio.to_thread(in_read_session, api_tokens.list_tokens, owner_id=user_id)
        self.tokens = [
            TokenView(r.id, r.name, r.prefix, r.created_at, r.last_used_at) for r in rows
        ]

    @rx.event
    async def load(self):
        user = await self._current_user()
        if user is None:
            return self._bounce()
        self.token_shown, self.revoke_id = False, 0
        await self._refresh(user.id)

    @rx.event
    async def refresh(self):
        """While Settings is open: "Last used" follows the tokens' use (the API records
        it at most once a minute)."""
        user = await self._current_user()
        if user is not None and self.revoke_id == 0:
            await self._refresh(user.id)

    @rx.event
    async def create(self, form: dict):
        user = await self._current_user()
        member = await acting_member(self) if user is not None else None
        if member is None:
            yield self._bounce()
            return
        self.name_error, self.creating = "", True
        yield
        try:
            _row, raw = await asyncio.to_thread(
                in_session,
                api_tokens.create_token,
                owner_id=user.id,
                name=str(form.get("name", "")),
                workspace_id=member.workspace_id,  # the token acts where this tab acts
            )
        except ServiceError as exc:
            self.name_error = exc.message
            return
        finally:
            self.creating = False
        self.token_shown = True
        await self._refresh(user.id)
        yield rx.set_value(NEW_TOKEN_INPUT, raw)

    @rx.event
    def hide_token(self):
        self.token_shown = False
        return rx.set_value(NEW_TOKEN_INPUT, "")

    @rx.event
    def ask_revoke(self, token_id: int):
        match = [t for t in self.tokens if t.id == token_id]
        if match:
            self.revoke_id, self.revoke_name = match[0].id, match[0].name

    @rx.event
    def cancel_revoke(self):
        self.revoke_id = 0

    @rx.event
    async def confirm_revoke(self):
        user = await self._current_user()
        if user is None:
            yield self._bounce()
            return
        try:
            await asyncio.to_thread(
                in_session,
                api_tokens.revoke_token,
                owner_id=user.id,
                token_id=self.revoke_id if isinstance(self.revoke_id, int) else 0,
            )
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
        else:
            yield rx.toast.success(f"Token “{self.revoke_name}” was revoked.")
        finally:
            self.revoke_id = 0
        await self._refresh(user.id)


live.refresh_on(ApiTokensState, "refresh", live.ACCOUNT, route=routes.SETTINGS)
