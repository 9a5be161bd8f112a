"""Platform-wide analytics for admins, computed in SQL from the rollups (never by
loading calls into Python): users, numbers, calls and minutes per day, Twilio cost
against revenue, top spenders, failed-call rate. Per-day figures read one DailyTotal
row a day; top spenders and active users read two UsageToDate rows a user, whatever
the range (billing/usage_to_date.py)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from callplatform.common.permissions import require_admin
from callplatform.models import (
    DailyTotal,
    NumberStatus,
    UsageToDate,
    UsageTotal,
    User,
    UserPhoneNumber,
    Workspace,
    WorkspaceMember,
    WorkspaceRole,
)

ZERO = Decimal("0")


@dataclass(frozen=True)
class DayRow:
    day: str
    calls: int
    minutes: int
    failed: int
    twilio_cost: Decimal
    revenue: Decimal  # the markup: what the platform earns on top of Twilio's price


@dataclass(frozen=True)
class Dashboard:
    users: int
    active_users: int
    numbers: int
    calls: int
    minutes: int
    failed_rate: float
    twilio_cost: Decimal
    revenue: Decimal
    days: list[DayRow]
    top_users: list[tuple[str, Decimal]]


def days(*, session: Session, actor: User, start: date, end: date) -> list[DayRow]:
    require_admin(actor)
    rows = session.exec(
        select(
            DailyTotal.day,
            DailyTotal.calls,
            DailyTotal.call_seconds,
            DailyTotal.failed_calls,
            DailyTotal.twilio_cost,
            DailyTotal.markup,
        )
        .where(DailyTotal.day >= start, DailyTotal.day <= end)
        .order_by(DailyTotal.day)
    ).all()
    return [
        DayRow(
            day=str(d),
            calls=int(c or 0),
            minutes=int((s or 0) + 59) // 60,
            failed=int(f or 0),
            twilio_cost=Decimal(t or 0),
            revenue=Decimal(m or 0),
        )
        for d, c, s, f, t, m in rows
    ]


def _in_range(start: date, end: date):
    """Per workspace active around the range: (workspace_id, spend, active days) in it,
    each the figures to date at its end less those the day before it starts (no row
    then: the workspace began later, zero). A workspace's figures at the end are its row
    that day if its rows span it, else its totals if its rows ended within the range;
    workspaces whose rows ended before it, or began after it, had nothing in it. One
    look-up per workspace."""
    before = start - timedelta(days=1)
    at_end, at_before = aliased(UsageToDate), aliased(UsageToDate)

    def less_before(workspace_id, spend, active_days):
        return select(
            workspace_id,
            (spend - func.coalesce(at_before.spend, 0)).label("spend"),
            (active_days - func.coalesce(at_before.active_days, 0)).label("active"),
        ).outerjoin(at_before, (at_before.workspace_id == workspace_id) & (at_before.day == before))

    spanning_the_end = less_before(at_end.workspace_id, at_end.spend, at_end.active_days).where(
        at_end.day == end
    )
    ended_inside = less_before(
        UsageTotal.workspace_id, UsageTotal.spend, UsageTotal.active_days
    ).where(UsageTotal.last_day >= start, UsageTotal.last_day < end)
    return union_all(spanning_the_end, ended_inside).subquery()


def _top_users(start: date, end: date, limit: int):
    """The biggest spending workspaces in the range (a personal one by its owner's
    email, a team by its name; spend) and, on each row, how many workspaces were active
    in it: one pass over them, then ten look-ups of a name."""
    spenders = _in_range(start, end)
    ranked = (
        select(spenders.c.workspace_id, spenders.c.spend, func.count().over().label("active"))
        .where(spenders.c.active > 0)
        .order_by(spenders.c.spend.desc(), spenders.c.workspace_id)
        .limit(limit)
        .subquery()
    )
    owner_email = (
        select(User.email)
        .join(WorkspaceMember, col(WorkspaceMember.user_id) == User.id)
        .where(
            WorkspaceMember.workspace_id == Workspace.id,
            WorkspaceMember.role == WorkspaceRole.OWNER,
        )
        .order_by(User.id)
        .limit(1)
        .scalar_subquery()
    )
    label = case((col(Workspace.personal).is_(True), owner_email), else_=Workspace.name)
    return (
        select(label, ranked.c.spend, ranked.c.active)
        .join(ranked, ranked.c.workspace_id == Workspace.id)
        .order_by(ranked.c.spend.desc(), ranked.c.workspace_id)
    )


def _active_users(start: date, end: date):
    users = _in_range(start, end)
    return select(func.count()).select_from(users).where(users.c.active > 0)


def statements(*, start: date, end: date) -> list:
    """The range's statements, for their plans (tests and benchmarks)."""
    return [_top_users(start, end, 10), _active_users(start, end)]


def top_users(*, session: Session, start: date, end: date, limit: int = 10):
    """(email, spend) of the biggest spenders in the range (users active in it)."""
    rows = session.exec(_top_users(start, end, limit)).all()
    return [(email, Decimal(total or 0)) for email, total, _ in rows]


def active_users(*, session: Session, start: date, end: date) -> int:
    return session.exec(_active_users(start, end)).one()


def dashboard(*, session: Session, actor: User, start: date, end: date) -> Dashboard:
    require_admin(actor)
    per_day = days(session=session, actor=actor, start=start, end=end)
    calls = sum(d.calls for d in per_day)
    top = session.exec(_top_users(start, end, 10)).all()
    return Dashboard(
        users=session.exec(select(func.count()).select_from(User)).one(),
        active_users=top[0].active if top else 0,
        numbers=session.exec(
            select(func.count())
            .select_from(UserPhoneNumber)
            .where(UserPhoneNumber.status == NumberStatus.ACTIVE)
        ).one(),
        calls=calls,
        minutes=sum(d.minutes for d in per_day),
        failed_rate=(sum(d.failed for d in per_day) / calls) if calls else 0.0,
        twilio_cost=sum((d.twilio_cost for d in per_day), ZERO),
        revenue=sum((d.revenue for d in per_day), ZERO),
        days=per_day,
        top_users=[(email, Decimal(spend or 0)) for email, spend, _ in top],
    )


def days_csv(rows: list[DayRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["day", "calls", "minutes", "failed_or_unanswered", "twilio_cost_usd", "revenue_usd"]
    )
    for r in rows:
        writer.writerow(
            [r.day, r.calls, r.minutes, r.failed, f"{r.twilio_cost:.5f}", f"{r.revenue:.5f}"]
        )
    return out.getvalue()
