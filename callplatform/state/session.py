"""Who is asking: the base state every page's substate inherits.

The browser holds only an opaque session token (a cookie). Every handler resolves it to
a user on the server, every time, through `_user()`; the UI vars here are for display
only and are never trusted for a decision.
"""

from __future__ import annotations

import reflex as rx

from callplatform import routes
from callplatform.db import read_scope, session_scope
from callplatform.models import Role, User
from callplatform.services import auth, sessions

SESSION_COOKIE_SECONDS = 7 * 24 * 3600


class SessionState(rx.State):
    auth_token: str = rx.Cookie(
        "", name=sessions.SESSION_COOKIE, max_age=SESSION_COOKIE_SECONDS, same_site="strict"
    )
    user_email: str = ""
    is_admin: bool = False

    def _user(self) -> User | None:
        """The live user behind the token, or None (logged out, expired, suspended)."""
        token = self.auth_token if isinstance(self.auth_token, str) else ""
        with read_scope() as session:
            return sessions.get_session_user(session=session, token=token)

    def _client(self) -> str:
        return self.router.session.client_ip or "unknown"

    def _bounce(self):
        """Forget the session and send the browser to the login page."""
        self.user_email, self.is_admin = "", False
        return rx.redirect(routes.LOGIN)

    @rx.event
    def require_login(self):
        """on_load of every private page: unknown visitors go to the login page."""
        user = self._user()
        if user is None:
            return self._bounce()
        self.user_email = user.email
        self.is_admin = user.role == Role.ADMIN

    @rx.event
    def require_admin(self):
        user = self._user()
        if user is None:
            return self._bounce()
        if user.role != Role.ADMIN:
            return rx.redirect(routes.DASHBOARD)
        self.user_email, self.is_admin = user.email, True

    @rx.event
    def redirect_if_logged_in(self):
        if self._user() is not None:
            return rx.redirect(routes.DASHBOARD)

    @rx.event
    def logout(self):
        token = self.auth_token if isinstance(self.auth_token, str) else ""
        if token:
            with session_scope() as session:
                auth.logout(session=session, token=token)
        self.auth_token = ""
        return self._bounce()
