"""Pushing a `changed` event to a user's tabs in this process: at most one unanswered push
per tab.

A tab answers a push by refreshing what it shows (`LiveState.changed`, run where its socket
is, reports back with `answered`). Notices for a tab whose push is still unanswered are
owed to it, merged, and pushed once it answers. Without this, a busy server queued a
refresh per notice behind each tab's lock: at 200 callbacks a second every tab's queue
grew, and a change waited behind refreshes of older ones (seconds, growing). Nothing is
lost: the owed push is sent after the answer, so its refresh reads after the notice came.
A push unanswered for UNANSWERED_SECONDS (a frozen tab, a socket gone mid-push) stops
holding back what is owed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import reflex as rx
from reflex.state import StateUpdate

from callplatform.state import tabs
from callplatform.state.open_tabs import connected_here

UNANSWERED_SECONDS = 5.0
log = logging.getLogger(__name__)


class Pusher:
    def __init__(self, app: rx.App, make_update: Callable[[list[str]], StateUpdate]) -> None:
        self.app, self.make_update = app, make_update
        self.pending: dict[int, frozenset[str]] = {}  # by user, gathered in one loop turn
        self.unanswered: dict[str, float] = {}  # by tab: when its push went out
        self.owed: dict[str, frozenset[str]] = {}  # by tab: topics noticed since

    def notice(self, user_id: int, topics: frozenset[str]) -> None:
        """A bus notice (on this loop). Notices of one loop turn go out together."""
        if not tabs.of_user(user_id):
            return  # no tab of theirs here (another worker may have one)
        if not self.pending:
            asyncio.get_running_loop().call_soon(self.flush)
        self.pending[user_id] = self.pending.get(user_id, frozenset()) | topics

    def flush(self) -> None:
        pending, self.pending = self.pending, {}
        for user_id, topics in pending.items():
            for token in tabs.of_user(user_id):
                self._push_or_owe(token, topics)

    def answered(self, token: str) -> None:
        """The tab has refreshed: push what it is owed, if anything."""
        if self.unanswered.pop(token, None) is not None and token in self.owed:
            self._push_or_owe(token, self.owed.pop(token))

    def forget(self, token: str) -> None:
        self.unanswered.pop(token, None)
        self.owed.pop(token, None)

    def _push_or_owe(self, token: str, topics: frozenset[str]) -> None:
        if token in self.unanswered:
            self.owed[token] = self.owed.get(token, frozenset()) | topics
            return
        topics |= self.owed.pop(token, frozenset())
        loop = asyncio.get_running_loop()
        self.unanswered[token] = pushed = loop.time()
        loop.call_later(UNANSWERED_SECONDS, self._overdue, token, pushed)
        asyncio.create_task(self._push(token, self.make_update(sorted(topics))))

    def _overdue(self, token: str, pushed: float) -> None:
        if self.unanswered.get(token) == pushed:  # that very push was never answered
            del self.unanswered[token]
            if token in self.owed:
                self._push_or_owe(token, self.owed.pop(token))

    async def _push(self, token: str, update: StateUpdate) -> None:
        if not connected_here(self.app, token):
            tabs.leave(token)
            self.forget(token)
            return
        try:
            await self.app.event_namespace.emit_update(update, token)
        except Exception:  # noqa: BLE001 - one closed socket must not stop the rest
            log.warning("live push to a tab failed", exc_info=True)
            self.forget(token)
