"""Who is asking: the base state every page's substate inherits.

The browser holds only an opaque session token, in an HttpOnly cookie that page scripts
cannot read: HTTP responses set and clear it (`sessions.ESTABLISH_PATH`, `END_PATH`), and
the browser sends it with the websocket's handshake, whose headers Reflex keeps for the
connection. Handlers read it from there (`_session_token`) and resolve it to a user on
the server, every time, through `await self._current_user()` (`_user()` in a worker
thread: nothing blocks the event loop); it is never a state var, so it never reaches the
client. The UI vars here are for display only and are never trusted for a decision.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
from urllib.parse import quote

import reflex as rx

from callplatform import client_address, routes
from callplatform.accounts import auth, profile, sessions
from callplatform.calls import presence
from callplatform.db import read_scope, session_scope
from callplatform.models import Role, User
from callplatform.state import tabs


def full_page_load(path: str) -> rx.event.EventSpec:
    """Leave the single-page app for `path`: a real HTTP request, so its answer can set the
    cookie, and a fresh page whose websocket carries it. `replace`: the one-time code in
    the URL never stays in the tab's history."""
    return rx.call_script(f"window.location.replace({json.dumps(path)})")


def full_page_post(path: str) -> rx.event.EventSpec:
    """Like `full_page_load`, as a form POST (for requests that change something)."""
    return rx.call_script(
        "(() => { const form = document.createElement('form'); form.method = 'post'; "
        f"form.action = {json.dumps(path)}; document.body.appendChild(form); form.submit(); }})()"
    )


def login_url(path: str = "", query: str = "") -> str:
    """The login page, carrying the page the visitor was going to (same-site paths only)."""
    target = routes.safe_next(f"{path}?{query}" if query else path)
    if target == routes.DASHBOARD:
        return routes.LOGIN
    return f"{routes.LOGIN}?next={quote(target, safe='')}"


def carrying_next(page: str, wanted: str) -> str:
    """`page` (login or register) keeping the `?next=` (`wanted`) this one was given, so
    switching between the two still ends where the visitor was going."""
    target = routes.safe_next(wanted)
    return page if target == routes.DASHBOARD else f"{page}?next={quote(target, safe='')}"


def next_page(state: rx.State) -> str:
    """Where the login or register page should go on to (from its `?next=`)."""
    return routes.safe_next(state.router.url.query_parameters.get("next", ""))


def establish_url(code: str, state: rx.State) -> str:
    """Trade a one-time code for the cookie, then on to `next_page`."""
    query = f"code={quote(code, safe='')}"
    target = next_page(state)
    if target != routes.DASHBOARD:
        query += f"&next={quote(target, safe='')}"
    return f"{sessions.ESTABLISH_PATH}?{query}"


# The browser's own IANA zone, asked once when the user has never chosen one.
BROWSER_ZONE_JS = "Intl.DateTimeFormat().resolvedOptions().timeZone"


# (session token, user) an event has already checked: `SessionState._checked_user` lets the
# handlers one event runs together (LiveState.changed's refreshes) ask the database once.
_checked: contextvars.ContextVar[tuple[str, User] | None] = contextvars.ContextVar(
    "checked_user", default=None
)


def checked_now() -> tuple[str, User] | None:
    """What `SessionState._checked_user` holds for the event running now (None: nothing):
    what else one event reads once (the acting member) is tied to it."""
    return _checked.get()


def _seen(token: str, user_id: int) -> None:
    """A page loaded under this session: note it, and that the user's browser is open."""
    with session_scope() as session:
        profile.mark_seen(session=session, token=token)
        presence.touch(session=session, user_id=user_id)


def _adopt_zone(user: User, zone: str) -> str:
    with session_scope() as session:
        return profile.adopt_browser_zone(session=session, user=user, zone=zone)


def _logout(token: str) -> None:
    with session_scope() as session:
        auth.logout(session=session, token=token)


class SessionState(rx.State):
    user_email: str = ""
    display_name: str = ""
    is_admin: bool = False
    # Every time on every page is shown in this IANA zone (`components.when`).
    time_zone: str = profile.DEFAULT_ZONE

    def _session_token(self) -> str:
        return sessions.token_from_cookie_header(self.router.headers.cookie)

    def _user(self) -> User | None:
        """The live user behind the token, or None (logged out, expired, suspended)."""
        with read_scope() as session:
            return sessions.get_session_user(session=session, token=self._session_token())

    async def _current_user(self) -> User | None:
        """`_user()` in a worker thread. Handlers await this instead of calling `_user()`:
        Reflex runs them on the one event loop all users share, and a query there would
        stall every user's events while it runs."""
        checked = _checked.get()
        if checked is not None and checked[0] == self._session_token():
            return checked[1]
        return await asyncio.to_thread(self._user)

    @contextlib.contextmanager
    def _checked_user(self, user: User):
        """Within this block (one event's handlers, awaited in turn), `_current_user` is
        `user`, just looked up for this tab's session, without asking again."""
        reset = _checked.set((self._session_token(), user))
        try:
            yield
        finally:
            _checked.reset(reset)

    def _client(self) -> str:
        headers = self.router.headers.raw_headers
        return client_address.client_address(
            self.router.session.client_ip, headers.get("x-forwarded-for")
        )

    def _session_root(self) -> SessionState:
        state = self
        while type(state) is not SessionState:
            state = state.parent_state
        return state

    def _bounce(self):
        """Forget everything this tab showed and send the browser to the login page (the
        session ended, perhaps elsewhere: a reload must not show its data again), which
        brings it back here afterwards (`routes.safe_next` says where it may go)."""
        target = login_url(self.router.url.path, self.router.url.query)
        tabs.leave(self.router.session.client_token)
        self._session_root().reset()
        return rx.redirect(target)

    async def _forget_everything(self) -> None:
        """Every page state of this tab back to its defaults, including any not loaded
        into this event (several processes keep them apart in Redis)."""
        pending = [SessionState]
        while pending:
            state_cls = pending.pop()
            await self.get_state(state_cls)
            pending.extend(state_cls.__subclasses__())  # every page state derives from us
        (await self.get_state(SessionState)).reset()

    @rx.event
    async def require_login(self):
        """on_load of every private page: unknown visitors go to the login page."""
        user = await self._current_user()
        if user is None:
            return self._bounce()
        self._show_user(user)
        tabs.join(self.router.session.client_token, user.id)  # live updates reach this tab
        await asyncio.to_thread(_seen, self._session_token(), user.id)
        if not user.time_zone:
            return rx.call_script(BROWSER_ZONE_JS, callback=SessionState.adopt_browser_zone)

    def _show_user(self, user: User) -> None:
        self.user_email, self.display_name = user.email, user.display_name
        self.is_admin = user.role == Role.ADMIN
        self.time_zone = profile.shown_zone(user)

    @rx.event
    async def adopt_browser_zone(self, zone: str):
        """The browser's zone, for a user who never chose one (checked on the server:
        only a real IANA zone is kept)."""
        user = await self._current_user()
        if user is None:
            return self._bounce()
        self.time_zone = await asyncio.to_thread(_adopt_zone, user, zone)

    @rx.event
    async def require_admin(self):
        user = await self._current_user()
        if user is None:
            return self._bounce()
        if user.role != Role.ADMIN:
            return rx.redirect(routes.DASHBOARD)
        self._show_user(user)
        tabs.join(self.router.session.client_token, user.id)

    @rx.event
    async def redirect_if_logged_in(self):
        if await self._current_user() is not None:
            return rx.redirect(next_page(self))

    @rx.event
    async def logout(self):
        """End the session on the server, empty this tab's state, then let the server
        clear the cookie (it is HttpOnly) on the way to the login page."""
        token = self._session_token()
        tabs.leave(self.router.session.client_token)
        if token:
            await asyncio.to_thread(_logout, token)
        await self._forget_everything()
        return full_page_post(sessions.END_PATH)
