"""Settings: the profile (display name, time zone) and the sessions signed in."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

import reflex as rx

from callplatform import routes
from callplatform.accounts import profile, sessions
from callplatform.common.errors import ServiceError
from callplatform.db import in_read_session, in_session
from callplatform.state import live
from callplatform.state.session import SessionState, full_page_post


@dataclass
class SessionView:
    id: int = 0
    device: str = ""
    created_at: datetime | None = None
    last_seen_at: datetime | None = None
    current: bool = False


class AccountState(SessionState):
    name_error: str = ""
    zone_error: str = ""
    saving: bool = False
    signed_in: list[SessionView] = []

    async def _refresh(self, user) -> None:
        rows = await asyncio.to_thread(
            in_read_session, profile.list_sessions, user=user, current_token=self._session_token()
        )
        self.signed_in = [
            SessionView(
                r.id, profile.device_label(r.user_agent), r.created_at, r.last_seen_at, r.current
            )
            for r in rows
        ]

    @rx.event
    async def load(self):
        user = await self._current_user()
        if user is None:
            return self._bounce()
        self.name_error = self.zone_error = ""
        await self._refresh(user)

    @rx.event
    async def refresh(self):
        """While Settings is open: sessions started or ended elsewhere show up; a tab whose
        own session was ended elsewhere is logged out."""
        user = await self._current_user()
        if user is None:
            return self._bounce()
        await self._refresh(user)

    @rx.event
    async def save_profile(self, form: dict):
        user = await self._current_user()
        if user is None:
            yield self._bounce()
            return
        self.name_error = self.zone_error = ""
        name, zone = form.get("display_name", ""), form.get("time_zone", "")
        self.saving = True
        yield
        try:
            await asyncio.to_thread(
                in_session, profile.update_profile, user=user, display_name=name, time_zone=zone
            )
        except ServiceError as exc:
            if exc.field == "time_zone":
                self.zone_error = exc.message
            else:
                self.name_error = exc.message
            return
        finally:
            self.saving = False
        self.display_name, self.time_zone = " ".join(str(name).split()), zone
        yield rx.toast.success("Profile saved.")

    @rx.event
    async def end_session(self, session_id: int):
        user = await self._current_user()
        if user is None:
            yield self._bounce()
            return
        mine = [s for s in self.signed_in if s.id == session_id and s.current]
        try:
            await asyncio.to_thread(
                in_session, profile.end_session, user=user, session_id=session_id
            )
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
        else:
            if mine:  # this very tab's session: log it out
                await self._forget_everything()
                yield full_page_post(sessions.END_PATH)
                return
            yield rx.toast.success("That session was signed out.")
        await self._refresh(user)

    @rx.event
    async def end_other_sessions(self):
        user = await self._current_user()
        if user is None:
            yield self._bounce()
            return
        await asyncio.to_thread(
            in_session, profile.end_other_sessions, user=user, keep_token=self._session_token()
        )
        yield rx.toast.success("Signed out everywhere else.")
        await self._refresh(user)


live.refresh_on(AccountState, "refresh", live.ACCOUNT, route=routes.SETTINGS)
