"""Register page and its state."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform import routes
from callplatform.accounts import auth, sessions
from callplatform.accounts.passwords import MIN_PASSWORD_LENGTH
from callplatform.common.errors import ServiceError
from callplatform.components.forms import auth_card, field, form_error, submit_button
from callplatform.db import session_scope
from callplatform.state.session import SessionState, carrying_next, establish_url, full_page_load


def _register(email: str, password: str) -> str:
    """The one-time code this browser trades for its session cookie."""
    with session_scope() as session:
        user = auth.create_user(session=session, email=email, password=password)
        return sessions.create_handoff(session=session, user_id=user.id)


class RegisterState(SessionState):
    email_error: str = ""
    password_error: str = ""
    error: str = ""
    pending: bool = False

    @rx.var
    def login_href(self) -> str:
        # Read here, not in a helper: Reflex recomputes the var when what it reads changes.
        return carrying_next(routes.LOGIN, self.router.url.query_parameters.get("next", ""))

    @rx.event
    def clear_errors(self):
        """on_load: a freshly loaded form shows no error from an earlier try (the tab's
        state outlives a reload or a visit to another page)."""
        self.email_error = self.password_error = self.error = ""
        self.pending = False

    @rx.event
    async def submit(self, form: dict):
        email, password = str(form.get("email", "")), str(form.get("password", ""))
        self.email_error = self.password_error = self.error = ""
        if password != str(form.get("confirm", "")):
            self.password_error = "The two passwords don't match."
            return
        self.pending = True
        yield
        try:
            code = await asyncio.to_thread(_register, email, password)
        except ServiceError as exc:
            if exc.field == "email":
                self.email_error = exc.message
            elif exc.field == "password":
                self.password_error = exc.message
            else:
                self.error = exc.message
            return
        finally:
            self.pending = False
        yield full_page_load(establish_url(code, self))


def register_page() -> rx.Component:
    return auth_card(
        form_error(RegisterState.error),
        rx.form(
            rx.vstack(
                field(
                    "Email",
                    "email",
                    RegisterState.email_error,
                    type="email",
                    placeholder="you@example.com",
                    auto_complete="email",
                    required=True,
                ),
                field(
                    "Password",
                    "password",
                    RegisterState.password_error,
                    type="password",
                    auto_complete="new-password",
                    required=True,
                    placeholder=f"At least {MIN_PASSWORD_LENGTH} characters",
                ),
                field(
                    "Confirm password",
                    "confirm",
                    rx.Var.create(""),
                    type="password",
                    auto_complete="new-password",
                    required=True,
                ),
                submit_button(
                    "Create account", "user-plus", RegisterState.pending, id="register-submit"
                ),
                spacing="3",
            ),
            on_submit=RegisterState.submit,
        ),
        rx.text(
            "Already have an account? ", rx.link("Log in", href=RegisterState.login_href), size="2"
        ),
        title="Create your account",
        subtitle="Buy numbers and call from your browser in minutes.",
    )
