"""The count of unread texts beside "Messages" in the navigation, and in the tab's title.

Read once when a private page loads and once per push of the messages topic (whatever
page the tab shows): one look-up per change, never one per render or per page part."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform.db import read_scope
from callplatform.messaging import threads
from callplatform.state import live
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member
from callplatform.workspaces.access import Member


def _unread(member: Member) -> int:
    with read_scope() as session:
        return int(threads.unread_total(session=session, member=member))


class UnreadState(SessionState):
    unread_texts: int = 0

    @rx.event
    async def load(self):
        if self.router.route_id.strip("/").startswith("messages"):
            return None  # the Messages page's own read of the inbox counts them
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        self.unread_texts = await asyncio.to_thread(_unread, member)
        return None

    @rx.var
    def unread_label(self) -> str:
        """What the badge says: a big backlog is "99+", not a wide pill."""
        return "99+" if self.unread_texts > 99 else str(self.unread_texts)


def titled(page: str) -> rx.Var:
    """A page's browser tab title, led by the unread count when there is one:
    "(3) Messages · CallPlatform"."""
    plain = f"{page} · CallPlatform"
    return rx.cond(
        UnreadState.unread_texts > 0,
        "(" + UnreadState.unread_label + ") " + plain,
        plain,
    )


live.refresh_on(UnreadState, "load", live.MESSAGES)
