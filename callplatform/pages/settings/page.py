"""Settings page: profile, change password (other sessions are logged out), the sessions
signed in, and API tokens."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform.accounts import auth
from callplatform.common.errors import ServiceError
from callplatform.components.forms import field, form_error
from callplatform.components.layout import page_shell
from callplatform.db import session_scope
from callplatform.models import User
from callplatform.pages.settings.account_views import profile_card, sessions_card
from callplatform.pages.settings.api_tokens import api_tokens_card
from callplatform.state.session import SessionState


def _change(user_id: int, current: str, new: str, keep_token: str) -> None:
    with session_scope() as session:
        user = session.get(User, user_id)
        auth.change_password(
            session=session,
            user=user,
            current_password=current,
            new_password=new,
            keep_token=keep_token,
        )


class SettingsState(SessionState):
    current_error: str = ""
    new_error: str = ""
    error: str = ""
    pending: bool = False

    @rx.event
    async def change_password(self, form: dict):
        user = await self._current_user()
        if user is None:
            yield self._bounce()
            return
        self.current_error = self.new_error = self.error = ""
        new = str(form.get("new_password", ""))
        if new != str(form.get("confirm", "")):
            self.new_error = "The two passwords don't match."
            return
        self.pending = True
        yield
        try:
            await asyncio.to_thread(
                _change,
                user.id,
                str(form.get("current_password", "")),
                new,
                self._session_token(),
            )
        except ServiceError as exc:
            if exc.field == "current_password":
                self.current_error = exc.message
            elif exc.field == "password":
                self.new_error = exc.message
            else:
                self.error = exc.message
            return
        finally:
            self.pending = False
        yield rx.toast.success("Password changed. Your other sessions were logged out.")


def settings_page() -> rx.Component:
    return page_shell(
        profile_card(),
        rx.card(
            rx.vstack(
                rx.heading("Change password", size="4"),
                form_error(SettingsState.error),
                rx.form(
                    rx.vstack(
                        field(
                            "Current password",
                            "current_password",
                            SettingsState.current_error,
                            type="password",
                            auto_complete="current-password",
                            required=True,
                        ),
                        field(
                            "New password",
                            "new_password",
                            SettingsState.new_error,
                            type="password",
                            auto_complete="new-password",
                            required=True,
                        ),
                        field(
                            "Confirm new password",
                            "confirm",
                            rx.Var.create(""),
                            type="password",
                            auto_complete="new-password",
                            required=True,
                        ),
                        rx.button("Change password", type="submit", loading=SettingsState.pending),
                        spacing="3",
                        max_width="24rem",
                    ),
                    on_submit=SettingsState.change_password,
                    reset_on_submit=True,
                ),
                spacing="3",
            ),
            width="100%",
        ),
        sessions_card(),
        api_tokens_card(),
        active="Settings",
        title="Settings",
    )
