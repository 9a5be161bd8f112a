"""A workspace's usage and costs for one month, straight from the cost ledger, so every
total can be opened into the items that add up to it: by kind, by number, by member
(whose calls and texts they were) and by day. Admins and owners see the workspace's; a
member sees their own calls' and texts'."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from callplatform.common.errors import ValidationError
from callplatform.models import (
    CostItem,
    CostKind,
    TwilioCall,
    TwilioRecording,
    User,
    UserPhoneNumber,
)
from callplatform.workspaces.access import Member

ZERO = Decimal("0")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        try:
            year, month = (int(part) for part in str(text).split("-"))
            date(year, month, 1)
            if year >= 9999:  # the month after December 9999 is past what dates can hold
                raise ValueError(year)
        except (TypeError, ValueError):
            raise ValidationError("Pick a month like 2026-11.", field="month") from None
        return cls(year, month)

    @classmethod
    def current(cls) -> Month:
        now = datetime.now(UTC)
        return cls(now.year, now.month)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        nxt = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        return datetime(*nxt, 1, tzinfo=UTC)

    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass
class UsageSummary:
    month: str
    by_kind: dict[str, Decimal] = field(default_factory=dict)  # charge per kind
    twilio_cost: Decimal = ZERO
    markup: Decimal = ZERO
    total: Decimal = ZERO
    by_number: list[tuple[str, Decimal]] = field(default_factory=list)  # (number, charge)
    # (member's name, charge); "" for what is nobody's call (a number's monthly fee).
    by_member: list[tuple[str, Decimal]] = field(default_factory=list)
    daily: list[tuple[str, Decimal]] = field(default_factory=list)  # (YYYY-MM-DD, charge)
    call_minutes: int = 0  # billed minutes: each call rounded up, as Twilio bills
    recording_minutes: int = 0


def _in_month(member: Member, month: Month):
    mine = () if member.manages else (CostItem.handled_by == member.user_id,)
    return (
        CostItem.workspace_id == member.workspace_id,
        *mine,
        CostItem.occurred_at >= month.start,
        CostItem.occurred_at < month.end,
    )


def get_summary(*, session: Session, member: Member, month: Month) -> UsageSummary:
    """Totals computed in SQL, per kind, per number, per member and per day."""
    where = _in_month(member, month)
    summary = UsageSummary(month=month.label())
    for kind, twilio, markup, charge in session.exec(
        select(
            CostItem.kind,
            func.sum(CostItem.twilio_cost),
            func.sum(CostItem.markup),
            func.sum(CostItem.charge),
        )
        .where(*where)
        .group_by(CostItem.kind)
    ):
        summary.by_kind[str(kind)] = Decimal(charge or 0)
        summary.twilio_cost += Decimal(twilio or 0)
        summary.markup += Decimal(markup or 0)
        summary.total += Decimal(charge or 0)
    summary.by_number = [
        (phone, Decimal(total or 0))
        for phone, total in session.exec(
            select(UserPhoneNumber.phone_number, func.sum(CostItem.charge))
            .join(UserPhoneNumber, UserPhoneNumber.id == CostItem.number_id)
            .where(*where)
            .group_by(UserPhoneNumber.phone_number)
            .order_by(func.sum(CostItem.charge).desc())
        )
    ]
    summary.by_member = [
        (name or email or "", Decimal(total or 0))
        for name, email, total in session.exec(
            select(User.display_name, User.email, func.sum(CostItem.charge))
            .outerjoin(User, col(User.id) == CostItem.handled_by)
            .where(*where)
            .group_by(CostItem.handled_by, User.display_name, User.email)
            .order_by(func.sum(CostItem.charge).desc())
        )
    ]
    day = func.date(CostItem.occurred_at)
    summary.daily = [
        (str(d), Decimal(total or 0))
        for d, total in session.exec(
            select(day, func.sum(CostItem.charge)).where(*where).group_by(day).order_by(day)
        )
    ]
    summary.call_minutes, summary.recording_minutes = _minutes(session, member, month)
    return summary


def _minutes(session: Session, member: Member, month: Month) -> tuple[int, int]:
    """Started minutes of the month's calls and recordings (ceil per call, in SQL)."""

    def billed(seconds):
        return func.coalesce(func.sum((func.coalesce(seconds, 0) + 59) // 60), 0)

    calls = session.exec(
        select(billed(TwilioCall.duration_seconds)).where(
            TwilioCall.workspace_id == member.workspace_id,
            *(() if member.manages else (TwilioCall.handled_by == member.user_id,)),
            TwilioCall.started_at >= month.start,
            TwilioCall.started_at < month.end,
        )
    ).one()
    recordings = session.exec(
        select(billed(TwilioRecording.duration_seconds))
        .join(TwilioCall, col(TwilioCall.id) == TwilioRecording.call_id, isouter=True)
        .where(
            TwilioRecording.workspace_id == member.workspace_id,
            *(() if member.manages else (TwilioCall.handled_by == member.user_id,)),
            TwilioRecording.created_at >= month.start,
            TwilioRecording.created_at < month.end,
        )
    ).one()
    return int(calls), int(recordings)


def list_items(
    *, session: Session, member: Member, month: Month, kind: str | None = None, limit: int = 200
) -> list[CostItem]:
    """The ledger lines behind a total, newest first."""
    query = select(CostItem).where(*_in_month(member, month))
    if kind:
        if kind not in {k.value for k in CostKind}:
            raise ValidationError("Unknown kind of cost.", field="kind")
        query = query.where(CostItem.kind == kind)
    return list(
        session.exec(query.order_by(col(CostItem.occurred_at).desc()).limit(min(limit, 500)))
    )
