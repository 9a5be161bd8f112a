"""Each workspace's spend and active days to date (UsageToDate, UsageTotal), moved with the
daily rollup in the ledger's transaction, so the admin dashboard reads any range's top
spenders and active workspaces from two rows per workspace."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Date, bindparam, exists, insert, select, text, update
from sqlmodel import Session

from callplatform.models import DailyUsage, UsageToDate, UsageTotal


def _locked_total(session: Session, workspace_id: int):
    """The workspace's totals row, locked until commit so one writer at a time moves their
    rows (SQLite: the transaction already holds the write lock)."""
    query = (
        select(UsageTotal.first_day, UsageTotal.last_day, UsageTotal.spend, UsageTotal.active_days)
        .where(UsageTotal.workspace_id == workspace_id)
        .with_for_update()
    )
    return session.execute(query).first()


def _days(first: date, last: date):
    return (first + timedelta(days=n) for n in range((last - first).days + 1))


def is_new_day(session: Session, *, workspace_id: int, day: date) -> bool:
    """Whether the workspace has no rollup row for the day yet (ask before adding to it)."""
    query = select(exists().where(DailyUsage.workspace_id == workspace_id, DailyUsage.day == day))
    return not session.execute(query).scalar()


# Both databases speak ON CONFLICT; a concurrent first line waits here for the other.
_NEW_TOTAL = text(
    "INSERT INTO usage_totals (workspace_id, first_day, last_day, spend, active_days) "
    "VALUES (:workspace_id, :day, :day, 0, 0) ON CONFLICT (workspace_id) DO NOTHING"
).bindparams(bindparam("day", type_=Date()))


def lock(session: Session, *, workspace_id: int, day: date):
    """Take the workspace's totals row (made on their first line); call before is_new_day so
    that two writers don't both count the same new day."""
    total = _locked_total(session, workspace_id)
    if total is None:
        session.execute(_NEW_TOTAL, {"workspace_id": workspace_id, "day": day})
        total = _locked_total(session, workspace_id)
    return total


def add(session: Session, total, *, workspace_id: int, day: date, spend: Decimal, new_day: bool):
    """Add one ledger line (its day's spend; whether it began an active day) to the
    workspace's rows: the rows between their span and `day` are made first (a day before the
    span starts from zero, a day after it from the span's last figures), then every row
    from `day` on moves (just that day's, unless a line comes in for an earlier day)."""
    fresh = total.active_days == 0
    if fresh:
        fill, base = [day], (Decimal(0), 0)
    elif day > total.last_day:
        fill, base = list(_days(total.last_day + timedelta(days=1), day)), None
    elif day < total.first_day:
        fill, base = list(_days(day, total.first_day - timedelta(days=1))), (Decimal(0), 0)
    else:
        fill, base = [], None
    if fill:
        spent, active = base or (total.spend, total.active_days)
        session.execute(
            insert(UsageToDate),
            [
                {"workspace_id": workspace_id, "day": d, "spend": spent, "active_days": active}
                for d in fill
            ],
        )
    added = int(new_day)
    session.execute(
        update(UsageToDate)
        .where(UsageToDate.workspace_id == workspace_id, UsageToDate.day >= day)
        .values(spend=UsageToDate.spend + spend, active_days=UsageToDate.active_days + added)
    )
    session.execute(
        update(UsageTotal)
        .where(UsageTotal.workspace_id == workspace_id)
        .values(
            spend=UsageTotal.spend + spend,
            active_days=UsageTotal.active_days + added,
            first_day=day if fresh else min(day, total.first_day),
            last_day=day if fresh else max(day, total.last_day),
        )
    )


_NEXT_DAY = {"sqlite": "date(day, '+1 day')", "postgresql": "day + 1"}
_REBUILD = """
WITH RECURSIVE spans AS (
  SELECT workspace_id, MIN(day) AS first_day, MAX(day) AS last_day
  FROM daily_usage GROUP BY workspace_id
), calendar (day) AS (
  SELECT MIN(first_day) FROM spans
  UNION ALL SELECT {next_day} FROM calendar WHERE day < (SELECT MAX(last_day) FROM spans)
), grid AS (
  SELECT spans.workspace_id, calendar.day FROM spans
  JOIN calendar ON calendar.day BETWEEN spans.first_day AND spans.last_day
)
INSERT INTO usage_to_date (workspace_id, day, spend, active_days)
SELECT grid.workspace_id, grid.day,
       SUM(COALESCE(rollup.twilio_cost + rollup.markup, 0)) OVER running,
       COUNT(rollup.workspace_id) OVER running
FROM grid LEFT JOIN daily_usage AS rollup
  ON rollup.workspace_id = grid.workspace_id AND rollup.day = grid.day
WINDOW running AS (PARTITION BY grid.workspace_id ORDER BY grid.day ROWS UNBOUNDED PRECEDING)
"""
_TOTALS = (
    "INSERT INTO usage_totals (workspace_id, first_day, last_day, spend, active_days) "
    "SELECT workspace_id, MIN(day), MAX(day), SUM(twilio_cost + markup), COUNT(*) "
    "FROM daily_usage GROUP BY workspace_id"
)


def rebuild(connection) -> None:
    """Make both tables again from the daily rollups (benchmarks fill rollups directly;
    the migration that made the tables has its own copy of this)."""
    connection.exec_driver_sql("DELETE FROM usage_to_date")
    connection.exec_driver_sql("DELETE FROM usage_totals")
    next_day = _NEXT_DAY[connection.dialect.name]
    connection.exec_driver_sql(_REBUILD.format(next_day=next_day))
    connection.exec_driver_sql(_TOTALS)
