"""A user's call history: filtered, newest first, keyset-paged; one call's detail; CSV.

Paging seeks an index ending in (started_at, id) with a row-value comparison, so a deep
page costs what the first does; which index each filter set seeks, and how the digit
search finds its calls, is call_log_plans.py. No COUNT(*) is made per page."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from callplatform.callbacks import call_status
from callplatform.common import cursors, ids
from callplatform.common.csv_cells import safe
from callplatform.common.errors import NotFound, ValidationError
from callplatform.history import call_log_plans, visibility
from callplatform.history.call_names import party_names
from callplatform.models import (
    CallDirection,
    CallStatus,
    CostItem,
    CostKind,
    TwilioCall,
    TwilioRecording,
    UserPhoneNumber,
    WebhookEvent,
)
from callplatform.tenancy import subaccounts
from callplatform.workspaces.access import Member

MAX_PAGE = 200
EXPORT_LIMIT = 100_000
DIRECTIONS = {d.value for d in CallDirection}
STATUSES = {s.value for s in CallStatus}
MISSED = call_log_plans.MISSED


SEARCH_LETTERS = (
    "Search by the digits of a phone number, like 415 or 555 0100. Names can't be searched yet."
)


@dataclass(frozen=True)
class CallFilters:
    number_id: int | None = None
    direction: str | None = None
    status: str | None = None  # a Twilio status, or "missed"
    since: datetime | None = None
    until: datetime | None = None
    search: str = ""

    @property
    def digits(self) -> str:
        """The search as digits: "(415) 555" looks for 415555."""
        return re.sub(r"\D", "", self.search)

    def check(self) -> CallFilters:
        if self.direction and self.direction not in DIRECTIONS:
            raise ValidationError("Direction is inbound or outbound.", field="direction")
        if self.status and self.status not in STATUSES | {MISSED}:
            raise ValidationError("Unknown call status.", field="status")
        if self.since and self.until and self.since > self.until:
            raise ValidationError("The start date is after the end date.", field="since")
        if len(self.search) > 32:
            raise ValidationError("Search for at most 32 characters.", field="search")
        if any(ch.isalpha() for ch in self.search):
            raise ValidationError(SEARCH_LETTERS, field="search")
        return self


@dataclass(frozen=True)
class CallPage:
    rows: list[TwilioCall]
    next_cursor: str | None


def encode_cursor(call: TwilioCall) -> str:
    return cursors.encode(call.started_at, call.id)


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (started_at, id) a page link points after (refused if forged)."""
    return cursors.decode(cursor)


def _page_query(session: Session, member: Member, filters: CallFilters, cursor, limit: int):
    """The page's statement and its parameters, or None when no call can match."""
    after = decode_cursor(cursor) if cursor else None
    walks = call_log_plans.choose(session, member, filters.check(), after)
    if walks is None:
        return None
    return call_log_plans.page_query(walks), walks.params | {"limit": limit}


def list_calls(
    *,
    session: Session,
    member: Member,
    filters: CallFilters,
    cursor: str | None = None,
    limit: int = 50,
) -> CallPage:
    """A page of the calls the member sees (`visibility`), newest first."""
    limit = max(1, min(int(limit), MAX_PAGE))
    query = _page_query(session, member, filters, cursor, limit + 1)
    rows = [] if query is None else list(session.exec(query[0], params=query[1]))
    more = len(rows) > limit
    rows = rows[:limit]
    return CallPage(rows=rows, next_cursor=encode_cursor(rows[-1]) if more and rows else None)


def explain(
    *, session: Session, member: Member, filters: CallFilters, cursor: str | None = None
) -> list[str]:  # pragma: no mutate block (a diagnostic, no rule: MUTATION.md)
    """The database's plan for the page list_calls would read (tests and benchmarks)."""
    query = _page_query(session, member, filters, cursor, MAX_PAGE)
    if query is None:
        return ["NOTHING TO READ: no number of the user's holds the digits"]
    statement, params = query
    connection = session.connection()
    compiled = statement.params(params).compile(connection, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN" if connection.dialect.name == "sqlite" else "EXPLAIN"
    rows = connection.exec_driver_sql(f"{prefix} {compiled}")
    return [str(row[-1] if connection.dialect.name == "sqlite" else row[0]) for row in rows]


def get_call(*, session: Session, member: Member, call_id: int):
    """(call, status events oldest first, recordings); a call the member doesn't see is
    not found. Only events the workspace's own account signed count: anyone may send
    callbacks naming this CallSid, but theirs are kept under their own account's keys."""
    call = session.get(TwilioCall, call_id) if ids.is_id(call_id) else None
    if not visibility.sees_call(member, call):
        raise NotFound("That call isn't one of yours.")
    account = subaccounts.get_subaccount(session=session, workspace_id=call.workspace_id)
    own_key = call_status.event_key("status", account.account_sid if account else "", call.call_sid)
    events = list(
        session.exec(
            select(WebhookEvent)
            .where(
                WebhookEvent.resource_sid == call.call_sid,
                WebhookEvent.kind == "status",
                col(WebhookEvent.dedupe_key).startswith(own_key + ":", autoescape=True),
            )
            .order_by(col(WebhookEvent.received_at), col(WebhookEvent.id))
        )
    )
    recordings = list(
        session.exec(
            select(TwilioRecording).where(
                TwilioRecording.call_id == call.id,
                TwilioRecording.workspace_id == call.workspace_id,
                TwilioRecording.deleted_at.is_(None),
            )
        )
    )
    return call, events, recordings


def export_csv(*, session: Session, member: Member, filters: CallFilters) -> str:
    """Every filtered call (up to EXPORT_LIMIT), read in keyset chunks; `contact` is the
    other party's name among the workspace's contacts. Names anyone typed are written
    safe from spreadsheets' formulas (common/csv_cells)."""
    names = dict(
        session.exec(
            select(UserPhoneNumber.id, UserPhoneNumber.friendly_name).where(
                UserPhoneNumber.workspace_id == member.workspace_id
            )
        ).all()
    )
    with_recording = set(
        session.exec(
            select(TwilioRecording.call_id).where(
                TwilioRecording.workspace_id == member.workspace_id,
                TwilioRecording.deleted_at.is_(None),
            )
        ).all()
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "started_at_utc",
            "direction",
            "from",
            "to",
            "number",
            "status",
            "duration_seconds",
            "cost",
            "currency",
            "recording",
            "contact",
        ]
    )
    cursor, written = None, 0
    while written < EXPORT_LIMIT:
        page = list_calls(
            session=session, member=member, filters=filters, cursor=cursor, limit=MAX_PAGE
        )
        charges = charges_for(
            session=session, workspace_id=member.workspace_id, call_ids=[c.id for c in page.rows]
        )
        contacts = party_names(session=session, workspace_id=member.workspace_id, calls=page.rows)
        for c in page.rows:
            writer.writerow(
                [
                    c.started_at.isoformat(),
                    c.direction,
                    c.from_number,
                    c.to_number,
                    safe(names.get(c.number_id, "")),
                    c.status,
                    c.duration_seconds or 0,
                    f"{charges[c.id]:.5f}" if c.id in charges else "",
                    c.price_unit,
                    "yes" if c.id in with_recording else "no",
                    safe(contacts.get(c.id, "")),
                ]
            )
        written += len(page.rows)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    return out.getvalue()


def charges_for(*, session: Session, workspace_id: int, call_ids: list[int]) -> dict[int, Decimal]:
    """What the user pays for each call's minutes, all its legs (the ledger's charges,
    markup included; a recording of the call is a line of its own)."""
    if not call_ids:
        return {}
    rows = session.exec(
        select(CostItem.call_id, func.sum(CostItem.charge))
        .where(
            CostItem.workspace_id == workspace_id,
            CostItem.kind == CostKind.CALL,
            col(CostItem.call_id).in_(call_ids),
        )
        .group_by(CostItem.call_id)
    ).all()
    return {call_id: Decimal(charge) for call_id, charge in rows}


def forwarded_charges(*, session: Session, workspace_id: int, call: TwilioCall) -> Decimal:
    """What the legs a routing forwarded this call to cost (logged as calls of their
    own, whose parent is this one): shown with the call, as the workspace pays both."""
    legs = select(TwilioCall.id).where(
        TwilioCall.workspace_id == workspace_id, TwilioCall.parent_call_sid == call.call_sid
    )
    total = session.exec(
        select(func.sum(CostItem.charge)).where(
            CostItem.workspace_id == workspace_id, col(CostItem.call_id).in_(legs)
        )
    ).one()
    return Decimal(total or 0)
