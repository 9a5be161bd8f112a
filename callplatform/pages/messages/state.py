"""State of the Messages page: the inbox, the open thread (read from the route, checked
by the services against the member resolved on the server) and the search. Pushed
changes of the messages topic re-read both, so new texts and delivery states appear
without polling."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform import routes
from callplatform.common import ids
from callplatform.common.errors import ServiceError
from callplatform.pages.messages import reads
from callplatform.pages.messages.rows import ConversationRow, MessageRow, SearchHit, ThreadView
from callplatform.state import live
from callplatform.state.session import SessionState
from callplatform.state.unread import UnreadState
from callplatform.state.workspace import acting_member

SEARCH_MAX = 100


class MessagesState(SessionState):
    conversations: list[ConversationRow] = []
    loaded: bool = False  # the inbox was read once (so empty means empty)
    has_numbers: bool = False  # any number to text from (what the empty inbox suggests)
    thread: ThreadView = ThreadView()
    texts: list[MessageRow] = []
    thread_error: str = ""
    search_text: str = ""
    hits: list[SearchHit] = []
    error: str = ""

    def _conversation_param(self) -> int | None:
        """The thread the route names (/messages/<id>; 0 if that is no id), as the client
        sent it: only ever passed to services that check it. None: no thread."""
        raw = self.router.page.params.get("conversation_id")
        return None if raw in (None, "") else (ids.as_id(str(raw)[:40]) or 0)

    async def _read(self, member) -> None:
        """The open thread first (opening it marks it read), then the inbox."""
        wanted = self._conversation_param()
        if wanted is None:
            self.thread, self.texts, self.thread_error = ThreadView(), [], ""
        else:
            try:
                self.thread, self.texts = await asyncio.to_thread(reads.read_thread, member, wanted)
                self.thread_error = ""
            except ServiceError as exc:
                self.thread, self.texts, self.thread_error = ThreadView(), [], exc.message
        try:
            self.conversations, unread = await asyncio.to_thread(reads.inbox, member)
        except ServiceError as exc:
            self.error = exc.message
            return
        self.error, self.loaded = "", True
        (await self.get_state(UnreadState)).unread_texts = unread

    @rx.event
    async def load(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        self.has_numbers = bool(await asyncio.to_thread(reads.senders, member))
        if self._conversation_param() != self.thread.id:
            self.thread, self.texts = ThreadView(), []  # not the last thread's texts
        await self._read(member)
        if self.search_text:
            await self._search(member)

    @rx.event
    async def refresh(self):
        """Pushed when texts of the member's numbers change: the inbox and the open
        thread are read again (the thread stays read while it is open)."""
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        await self._read(member)
        if self.search_text:
            await self._search(member)

    async def _search(self, member) -> None:
        # Only printable text is searched (a NUL, say, is nothing a text holds).
        wanted = "".join(c for c in str(self.search_text)[:SEARCH_MAX] if c.isprintable())
        if not wanted.strip():
            self.hits = []
            return
        try:
            self.hits = await asyncio.to_thread(reads.search, member, wanted)
        except ServiceError as exc:
            self.hits, self.error = [], exc.message

    @rx.event
    async def search(self, text: str):
        self.search_text = str(text)[:SEARCH_MAX]
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        await self._search(member)
        return None

    @rx.event
    def clear_search(self):
        self.search_text, self.hits = "", []

    @rx.var
    def searching(self) -> bool:
        return bool(self.search_text.strip())


for _route in (routes.MESSAGES, routes.MESSAGE_THREAD, routes.MESSAGE_NEW):
    # Calls too: a thread shows the calls with its person in their place.
    live.refresh_on(MessagesState, "refresh", live.MESSAGES, live.CALLS, route=_route)
