"""Admin analytics from the rollups, kept in step with the cost ledger."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from callplatform.admin import analytics
from callplatform.billing import ledger, usage_to_date
from callplatform.common.errors import PermissionDenied
from callplatform.db import get_engine, session_scope
from callplatform.models import CostKind, DailyUsage, Role, UsageToDate, UsageTotal, User
from callplatform.workspaces import membership, shared
from tests.helpers import make_user, personal_workspace


def test_dashboard_adds_up_the_ledger(db_url):
    admin, ann, bob = (
        make_user("root@example.com", Role.ADMIN),
        make_user("a@x.com"),
        make_user("b@x.com"),
    )
    with session_scope() as s:
        for key, uid, price, seconds, failed in (
            ("c1", ann, "-0.014", 61, False),
            ("c2", ann, "0", 0, True),
            ("c3", bob, "-0.028", 100, False),
        ):
            ledger.record_cost(
                session=s,
                workspace_id=personal_workspace(uid),
                kind=CostKind.CALL,
                source_key=key,
                twilio_cost=Decimal(price),
                call_seconds=seconds,
                failed=failed,
            )
        ledger.record_cost(
            session=s,
            workspace_id=personal_workspace(bob),
            kind=CostKind.NUMBER_MONTHLY,
            source_key="n1",
            twilio_cost=Decimal("1.15"),
        )
        ledger.record_cost(
            session=s,
            workspace_id=personal_workspace(bob),
            kind=CostKind.CALL,
            source_key="c3",
            twilio_cost=Decimal("-9"),
            call_seconds=999,
        )  # a repeat: ignored
    today = datetime.now(UTC).date()
    with session_scope() as s:
        d = analytics.dashboard(
            session=s, actor=s.get(User, admin), start=today - timedelta(days=7), end=today
        )
    assert (d.users, d.active_users, d.calls, d.minutes) == (3, 2, 3, 3)
    assert d.failed_rate == pytest.approx(1 / 3)
    assert d.twilio_cost == Decimal("1.192") and d.revenue == Decimal("0.2384")
    assert d.top_users[0] == ("b@x.com", Decimal("1.4136"))
    assert [r.day for r in d.days] == [today.isoformat()]
    text = analytics.days_csv(d.days)
    assert text.splitlines()[1] == f"{today},3,3,1,1.19200,0.23840"


def test_the_top_spenders_are_workspaces_a_team_by_its_name(db_url):
    admin, ann = make_user("root@example.com", Role.ADMIN), make_user("a@x.com")
    with session_scope() as s:
        team = shared.create_workspace(session=s, user_id=ann, name="Sales").id
    with session_scope() as s:
        for key, workspace, price in (
            ("c1", team, "-1.00"),
            ("c2", personal_workspace(ann), "-0.50"),
            ("c3", team, "-0.25"),
        ):
            ledger.record_cost(
                session=s,
                workspace_id=workspace,
                handled_by=ann,
                kind=CostKind.CALL,
                source_key=key,
                twilio_cost=Decimal(price),
            )
    today = datetime.now(UTC).date()
    with session_scope() as s:
        d = analytics.dashboard(session=s, actor=s.get(User, admin), start=today, end=today)
    # Ann's team and her own workspace are two spenders, each with its own total.
    assert d.top_users == [("Sales", Decimal("1.5")), ("a@x.com", Decimal("0.6"))]
    assert d.active_users == 2


def test_non_admins_get_nothing(db_url):
    ann = make_user("a@x.com")
    today = datetime.now(UTC).date()
    with session_scope() as s, pytest.raises(PermissionDenied):
        analytics.dashboard(session=s, actor=s.get(User, ann), start=today, end=today)
    with session_scope() as s, pytest.raises(PermissionDenied):
        analytics.days(session=s, actor=s.get(User, ann), start=today, end=today)


# Lines out of order (a day before the first, a day inside the span), gaps, a $0 line,
# a user active on one day only; and ranges starting and ending before, inside, between
# and after them.
LINES = [  # (user, day offset, Twilio's price)
    ("a", 10, "-0.014"), ("b", 12, "-1.15"), ("a", 15, "-0.028"), ("c", 20, "0"),
    ("a", 5, "-0.5"), ("b", 12, "-0.3"), ("a", 30, "-0.007"), ("b", 18, "-0.25"),
    ("a", 12, "-0.1"), ("b", 3, "-2"),
]  # fmt: skip
DAY0 = datetime(2026, 10, 1, 12, tzinfo=UTC)


def _brute_force(s, start, end):
    """The old reading: every DailyUsage row in the range, summed per workspace (each
    user's personal one here, named by its owner's email)."""
    totals: dict[int, Decimal] = {}
    for row in s.exec(select(DailyUsage)).all():
        if start <= row.day <= end:
            was = totals.get(row.workspace_id, Decimal(0))
            totals[row.workspace_id] = was + row.twilio_cost + row.markup
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    emails = {
        membership.personal_workspace_id(session=s, user_id=u.id): u.email
        for u in s.exec(select(User)).all()
    }
    return [(emails[w], total) for w, total in ranked], len(totals)


def test_any_range_matches_the_daily_rollups(db_url):
    admin = make_user("root@x.com", Role.ADMIN)
    users = {name: make_user(f"{name}@x.com") for name in "abc"}
    with session_scope() as s:
        for i, (name, offset, price) in enumerate(LINES):
            ledger.record_cost(
                session=s,
                workspace_id=personal_workspace(users[name]),
                kind=CostKind.CALL,
                source_key=f"line{i}",
                twilio_cost=Decimal(price),
                call_seconds=30,
                occurred_at=DAY0 + timedelta(days=offset),
            )
    days = [(DAY0 + timedelta(days=n)).date() for n in (0, 3, 4, 5, 11, 12, 13, 18, 25, 30, 40)]
    with session_scope() as s:
        for start, end in itertools.combinations_with_replacement(days, 2):
            top, active = _brute_force(s, start, end)
            got = analytics.top_users(session=s, start=start, end=end)
            assert [(e, t.quantize(Decimal("0.00001"))) for e, t in got] == top, (start, end)
            assert analytics.active_users(session=s, start=start, end=end) == active
            whole = analytics.dashboard(session=s, actor=s.get(User, admin), start=start, end=end)
            assert (whole.active_users, whole.top_users) == (active, got)


def test_rebuilt_from_the_rollups_as_the_ledger_kept_them(db_url):
    """What the benchmarks (and the migration, in its own copy) rebuild is what the
    ledger keeps line by line."""
    users = {name: make_user(f"{name}@x.com") for name in "abc"}
    with session_scope() as s:
        for i, (name, offset, price) in enumerate(LINES):
            ledger.record_cost(
                session=s,
                workspace_id=personal_workspace(users[name]),
                kind=CostKind.NUMBER_MONTHLY,
                source_key=f"line{i}",
                twilio_cost=Decimal(price),
                occurred_at=DAY0 + timedelta(days=offset),
            )

    def kept():
        with session_scope() as s:
            return (
                sorted(tuple(r) for r in s.exec(select(UsageToDate)).all()),
                sorted(tuple(r) for r in s.exec(select(UsageTotal)).all()),
            )

    by_ledger = kept()
    with get_engine().begin() as connection:
        usage_to_date.rebuild(connection)
    assert kept() == by_ledger
    assert len(by_ledger[0]) == (30 - 5 + 1) + (18 - 3 + 1) + 1  # every day of each span


def test_top_spenders_read_two_rows_per_user(db_url):
    make_user("a@x.com")
    today = datetime.now(UTC).date()
    with session_scope() as s:
        connection = s.connection()
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        for statement in analytics.statements(start=today - timedelta(days=364), end=today):
            sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
            prefix = "EXPLAIN QUERY PLAN" if connection.dialect.name == "sqlite" else "EXPLAIN"
            plan = " ".join(str(r[-1]) for r in connection.exec_driver_sql(f"{prefix} {sql}"))
            assert "daily_usage" not in plan, plan
            assert "usage_to_date" in plan and "SCAN usage_to_date" not in plan, plan
