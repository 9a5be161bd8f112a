"""Login page and its state."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform import routes
from callplatform.accounts import auth
from callplatform.common.errors import ServiceError
from callplatform.components.forms import auth_card, field, form_error, submit_button
from callplatform.db import session_scope
from callplatform.state.session import SessionState, carrying_next, establish_url, full_page_load


def _login(email: str, password: str, client: str) -> str:
    """The one-time code this browser trades for its session cookie."""
    with session_scope() as session:
        return auth.begin_browser_login(
            session=session, email=email, password=password, client=client
        )


class LoginState(SessionState):
    error: str = ""
    pending: bool = False

    @rx.var
    def register_href(self) -> str:
        # Read here, not in a helper: Reflex recomputes the var when what it reads changes.
        return carrying_next(routes.REGISTER, self.router.url.query_parameters.get("next", ""))

    @rx.event
    def clear_errors(self):
        """on_load: no error left over from an earlier try."""
        self.error, self.pending = "", False

    @rx.event
    async def submit(self, form: dict):
        email, password = str(form.get("email", "")), str(form.get("password", ""))
        self.error, self.pending = "", True
        yield
        try:
            # argon2 takes tens of ms: keep it off the event loop.
            code = await asyncio.to_thread(_login, email, password, self._client())
        except ServiceError as exc:
            self.error = exc.message
            return
        finally:
            self.pending = False
        # The code goes to this tab alone, in this event; never into a var.
        yield full_page_load(establish_url(code, self))


def login_page() -> rx.Component:
    return auth_card(
        form_error(LoginState.error),
        rx.form(
            rx.vstack(
                field(
                    "Email",
                    "email",
                    rx.Var.create(""),
                    type="email",
                    placeholder="you@example.com",
                    auto_complete="email",
                    required=True,
                ),
                field(
                    "Password",
                    "password",
                    rx.Var.create(""),
                    type="password",
                    auto_complete="current-password",
                    required=True,
                ),
                submit_button("Log in", "log-in", LoginState.pending, id="login-submit"),
                spacing="3",
            ),
            on_submit=LoginState.submit,
        ),
        rx.text(
            "New here? ", rx.link("Create an account", href=LoginState.register_href), size="2"
        ),
        title="Log in",
        subtitle="Welcome back.",
    )
