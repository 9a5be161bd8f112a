"""Admin analytics from the rollups, kept in step with the cost ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from callplatform.admin import analytics
from callplatform.billing import ledger
from callplatform.common.errors import PermissionDenied
from callplatform.db import session_scope
from callplatform.models import CostKind, Role, User
from tests.helpers import make_user


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
                user_id=uid,
                kind=CostKind.CALL,
                source_key=key,
                twilio_cost=Decimal(price),
                call_seconds=seconds,
                failed=failed,
            )
        ledger.record_cost(
            session=s,
            user_id=bob,
            kind=CostKind.NUMBER_MONTHLY,
            source_key="n1",
            twilio_cost=Decimal("1.15"),
        )
        ledger.record_cost(
            session=s,
            user_id=bob,
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


def test_non_admins_get_nothing(db_url):
    ann = make_user("a@x.com")
    today = datetime.now(UTC).date()
    with session_scope() as s, pytest.raises(PermissionDenied):
        analytics.dashboard(session=s, actor=s.get(User, ann), start=today, end=today)
    with session_scope() as s, pytest.raises(PermissionDenied):
        analytics.days(session=s, actor=s.get(User, ann), start=today, end=today)
