"""State of the Calls page: filters, keyset paging (a stack of cursors, kept on the
server), a quiet refresh of the first page, and CSV export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import reflex as rx
from sqlmodel import select

from callplatform.db import read_scope
from callplatform.models import TwilioRecording, UserPhoneNumber
from callplatform.services import call_log
from callplatform.services.errors import ServiceError
from callplatform.state.call_views import CallRow
from callplatform.state.session import SessionState

PAGE_SIZE = 50
ALL = "all"


def _date(text: str, *, end: bool = False) -> datetime | None:
    try:
        day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC) if text else None
    except ValueError:
        return None
    return day + timedelta(days=1) if day and end else day


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

    def _fetch(self, user_id: int) -> None:
        cursor = self._cursors[-1] if self._cursors else None
        try:
            with read_scope() as session:
                page = call_log.list_calls(
                    session=session,
                    owner_id=user_id,
                    filters=self._filters(),
                    cursor=cursor,
                    limit=PAGE_SIZE,
                )
                ids = [c.id for c in page.rows]
                charges = call_log.charges_for(session=session, owner_id=user_id, call_ids=ids)
                names = dict(
                    session.exec(
                        select(UserPhoneNumber.id, UserPhoneNumber.friendly_name).where(
                            UserPhoneNumber.user_id == user_id
                        )
                    ).all()
                )
                recorded = (
                    set(
                        session.exec(
                            select(TwilioRecording.call_id).where(
                                TwilioRecording.user_id == user_id,
                                TwilioRecording.call_id.in_(ids),
                                TwilioRecording.deleted_at.is_(None),
                            )
                        ).all()
                    )
                    if ids
                    else set()
                )
        except ServiceError as exc:
            self.error, self.rows = exc.message, []
            return
        self.error = ""
        self.rows = [
            CallRow.of(
                c,
                number_name=names.get(c.number_id, ""),
                cost=f"${charges[c.id]:.4f}" if c.id in charges else "",
                has_recording=c.id in recorded,
            )
            for c in page.rows
        ]
        self._next, self.has_next = page.next_cursor or "", bool(page.next_cursor)

    @rx.event
    def load(self):
        user = self._user()
        if user is None:
            return self._bounce()
        with read_scope() as session:
            numbers = session.exec(
                select(UserPhoneNumber).where(
                    UserPhoneNumber.user_id == user.id, UserPhoneNumber.status != "pending"
                )
            ).all()
        self.number_options = [[str(n.id), n.friendly_name or n.phone_number] for n in numbers]
        self._cursors, self.page = [], 1
        self._fetch(user.id)

    @rx.event
    def set_filter(self, name: str, value: str):
        if name not in {"number", "direction", "status", "since", "until", "search"}:
            return
        setattr(self, name, str(value)[:32])
        return CallsState.load

    @rx.event
    def next_page(self):
        user = self._user()
        if user is None:
            return self._bounce()
        if self._next:
            self._cursors = [*self._cursors, self._next]
            self.page += 1
            self._fetch(user.id)

    @rx.event
    def previous_page(self):
        user = self._user()
        if user is None:
            return self._bounce()
        if self._cursors:
            self._cursors = self._cursors[:-1]
            self.page -= 1
            self._fetch(user.id)

    @rx.event
    def refresh(self, _tick=None):
        """New calls appear without a reload (only on the first page, not while paging)."""
        user = self._user()
        if user is not None and self.page == 1:
            self._fetch(user.id)

    @rx.event
    def export_csv(self):
        user = self._user()
        if user is None:
            return self._bounce()
        try:
            with read_scope() as session:
                data = call_log.export_csv(
                    session=session, owner_id=user.id, filters=self._filters()
                )
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        return rx.download(data=data, filename="calls.csv")
