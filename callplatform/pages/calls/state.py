"""State of the Calls page: filters, keyset paging (a stack of cursors, kept on the
server), a quiet refresh of the first page, and CSV export. Queries run in a worker
thread, off the event loop every user shares."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import reflex as rx
from sqlmodel import col, select

from callplatform import routes
from callplatform.common.errors import ServiceError
from callplatform.db import in_read_session, read_scope
from callplatform.history import call_log
from callplatform.history.call_names import handler_names, party_names
from callplatform.models import TwilioRecording, UserPhoneNumber
from callplatform.state import live
from callplatform.state.call_views import CallRow
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member
from callplatform.workspaces.access import Member

PAGE_SIZE = 50
ALL = "all"


def _date(text: str, *, end: bool = False) -> datetime | None:
    try:
        day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC) if text else None
    except ValueError:
        return None
    return day + timedelta(days=1) if day and end else day


def _calls_page(
    member: Member, filters: call_log.CallFilters, cursor: str | None
) -> tuple[list[CallRow], str]:
    """One page of the calls the member sees, ready to show (the other party by their
    name among the workspace's contacts, who handled each), and the next page's cursor."""
    with read_scope() as session:
        page = call_log.list_calls(
            session=session, member=member, filters=filters, cursor=cursor, limit=PAGE_SIZE
        )
        ids = [c.id for c in page.rows]
        charges = call_log.charges_for(
            session=session, workspace_id=member.workspace_id, call_ids=ids
        )
        contacts = party_names(session=session, workspace_id=member.workspace_id, calls=page.rows)
        handlers = handler_names(session=session, calls=page.rows)
        names = dict(
            session.exec(
                select(UserPhoneNumber.id, UserPhoneNumber.friendly_name).where(
                    UserPhoneNumber.workspace_id == member.workspace_id
                )
            ).all()
        )
        recorded = (
            set(
                session.exec(
                    select(TwilioRecording.call_id).where(
                        TwilioRecording.workspace_id == member.workspace_id,
                        TwilioRecording.call_id.in_(ids),
                        TwilioRecording.deleted_at.is_(None),
                    )
                ).all()
            )
            if ids
            else set()
        )
    rows = [
        CallRow.of(
            c,
            number_name=names.get(c.number_id, ""),
            cost=f"${charges[c.id]:.4f}" if c.id in charges else "",
            has_recording=c.id in recorded,
            other_name=contacts.get(c.id, ""),
            handled_by=handlers.get(c.handled_by, ""),
        )
        for c in page.rows
    ]
    return rows, page.next_cursor or ""


def _number_options(member: Member) -> list[list[str]]:
    """The numbers whose calls the member sees (released ones too: their calls stay)."""
    with read_scope() as session:
        query = select(UserPhoneNumber).where(
            UserPhoneNumber.workspace_id == member.workspace_id,
            UserPhoneNumber.status != "pending",
        )
        if not member.manages:
            query = query.where(col(UserPhoneNumber.id).in_(sorted(member.number_ids)))
        numbers = session.exec(query).all()
    return [[str(n.id), n.friendly_name or n.phone_number] for n in numbers]


class CallsState(SessionState):
    rows: list[CallRow] = []
    number_options: list[list[str]] = []  # [id, label]
    number: str = ALL
    direction: str = ALL
    status: str = ALL
    since: str = ""
    until: str = ""
    search: str = ""
    page: int = 1
    has_next: bool = False
    error: str = ""
    search_error: str = ""  # what the search box can match, when it was given letters
    _cursors: list[str] = []  # cursors of the pages before this one
    _next: str = ""

    def _filters(self) -> call_log.CallFilters:
        number_id = int(self.number) if self.number.isdigit() else None
        return call_log.CallFilters(
            number_id=number_id,
            direction=None if self.direction == ALL else self.direction,
            status=None if self.status == ALL else self.status,
            since=_date(self.since),
            until=_date(self.until, end=True),
            search=self.search,
        )

    async def _fetch(self, member: Member) -> None:
        cursor = self._cursors[-1] if self._cursors else None
        try:
            self.rows, self._next = await asyncio.to_thread(
                _calls_page, member, self._filters(), cursor
            )
        except ServiceError as exc:
            self.rows, self.has_next = [], False
            if exc.field == "search":
                self.error, self.search_error = "", exc.message
            else:
                self.error, self.search_error = exc.message, ""
            return
        self.error, self.search_error, self.has_next = "", "", bool(self._next)

    @rx.var
    def filtered(self) -> bool:
        """Is any filter narrowing the list (so an empty list means "no match")?"""
        narrowed = (self.number, self.direction, self.status) != (ALL, ALL, ALL)
        return narrowed or bool(self.since or self.until or self.search.strip())

    @rx.event
    async def load(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        self.number_options = await asyncio.to_thread(_number_options, member)
        self._cursors, self.page = [], 1
        await self._fetch(member)

    @rx.event
    def set_filter(self, name: str, value: str):
        if name not in {"number", "direction", "status", "since", "until", "search"}:
            return
        setattr(self, name, str(value)[:32])
        return CallsState.load

    @rx.event
    def clear_filters(self):
        self.number = self.direction = self.status = ALL
        self.since = self.until = self.search = ""
        return CallsState.load

    @rx.event
    async def next_page(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        if self._next:
            self._cursors = [*self._cursors, self._next]
            self.page += 1
            await self._fetch(member)

    @rx.event
    async def previous_page(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        if self._cursors:
            self._cursors = self._cursors[:-1]
            self.page -= 1
            await self._fetch(member)

    @rx.event
    async def refresh(self):
        """Pushed when the user's calls change: the page shown is read again (a call that
        ended ends on screen; on the first page, new calls appear)."""
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        await self._fetch(member)

    @rx.event
    async def export_csv(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        try:
            data = await asyncio.to_thread(
                in_read_session, call_log.export_csv, member=member, filters=self._filters()
            )
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        return rx.download(data=data, filename="calls.csv")


live.refresh_on(CallsState, "refresh", live.CALLS, live.RECORDINGS, route=routes.CALLS)
