"""Live by push: a notice on the live bus (`callplatform.live`) becomes one event pushed to
each of the user's tabs in this process (`pusher`: at most one unanswered per tab), which
the tab sends straight back (`LiveState.changed`) to refresh what it shows. No timers, no
polling: an idle tab costs no query until something of its user's changes.

Pages say what they refresh and on which topics with `refresh_on`. The tab's own events
do the reading, so they run where its socket is, with the same checks as a click.
Also keeps the users of this process's tabs present (inbound calls ring only a signed-in
browser), in one statement every PRESENCE_SECONDS, and their states in memory
(`open_tabs`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import reflex as rx
from reflex.event import Event
from reflex.state import StateUpdate

from callplatform.calls import presence
from callplatform.db import in_session
from callplatform.live import (
    ACCOUNT,
    CALLS,
    MESSAGES,
    NUMBERS,
    RECORDINGS,
    TOPICS,
    WORKSPACE,
    bus,
)
from callplatform.state import open_tabs, tabs
from callplatform.state.open_tabs import connected_here
from callplatform.state.pusher import Pusher
from callplatform.state.session import SessionState

PRESENCE_SECONDS = 10.0
__all__ = [
    "ACCOUNT",
    "CALLS",
    "MESSAGES",
    "NUMBERS",
    "RECORDINGS",
    "WORKSPACE",
    "LiveState",
    "refresh_on",
    "serve",
]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Refresh:
    state: type[rx.State]
    handler: str
    topics: frozenset[str]
    route: str | None  # only while the tab shows this page (None: on every page)


_refreshes: list[_Refresh] = []


def refresh_on(state: type[rx.State], handler: str, *topics: str, route: str | None = None):
    """Run `state.handler` in a tab (on `route` only, if given) when `topics` change."""
    assert set(topics) <= TOPICS, topics
    _refreshes.append(_Refresh(state, handler, frozenset(topics), route))


def _shows(page: str, route: str | None) -> bool:
    """Is the tab on `route`? (Reflex names the index page "index".)"""
    if route is None:
        return True
    return page.strip("/").removeprefix("index") == route.strip("/")


class LiveState(SessionState):
    @rx.event
    async def changed(self, topics: list[str]):
        """Pushed by the server (any client may send it: it only re-reads its own data)."""
        wanted = TOPICS.intersection(topics if isinstance(topics, list) else ())
        page, follow_ups = self.router.route_id, []
        try:
            chosen = [r for r in _refreshes if r.topics & wanted and _shows(page, r.route)]
            if not chosen:
                return None
            # One session check for all of them (each would ask the database again).
            user = await self._current_user()
            if user is None:
                return self._bounce()
            with self._checked_user(user):
                for refresh in chosen:
                    state = await self.get_state(refresh.state)
                    result = await getattr(state, refresh.handler)()
                    if isinstance(result, list):  # several events (a toast, then a reload)
                        follow_ups.extend(result)
                    elif result is not None:
                        follow_ups.append(result)
        finally:
            if _pusher is not None:  # the next change for this tab may go out now
                _pusher.answered(self.router.session.client_token)
        return follow_ups or None


def _changed_update(topics: list[str]) -> StateUpdate:
    return StateUpdate(events=Event.from_event_type(LiveState.changed(topics)))


_pusher: Pusher | None = None  # this process's, while `serve` runs


def _keep_present(user_ids: Iterable[int]) -> None:
    in_session(presence.touch_many, user_ids=list(user_ids))


async def serve(app: rx.App) -> None:
    """A lifespan task: deliver the bus's notices; keep open tabs' users present and
    their states in memory."""
    global _pusher
    _pusher = pusher = Pusher(app, _changed_update)
    listening = asyncio.create_task(bus.listen(pusher.notice))
    try:
        while True:
            await asyncio.sleep(PRESENCE_SECONDS)
            for token in tabs.tokens():
                if not connected_here(app, token):
                    tabs.leave(token)
                    pusher.forget(token)
            await open_tabs.keep_states(app)
            if users := tabs.users():
                try:
                    await asyncio.to_thread(_keep_present, users)
                except Exception:  # noqa: BLE001 - tried again next round
                    log.warning("could not mark tabs present", exc_info=True)
    finally:
        listening.cancel()
        _pusher = None
