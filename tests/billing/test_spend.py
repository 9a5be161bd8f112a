"""Spend cap, rate limit, destination rules and the audit trail of refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from callplatform.accounts import auth
from callplatform.billing import ledger, spend
from callplatform.calls import destinations
from callplatform.common import audit
from callplatform.common.errors import PermissionDenied, RateLimited, ValidationError
from callplatform.db import session_scope
from callplatform.models import AuditEvent, CostKind, PlatformSetting, Role, User
from tests.helpers import make_user, member_of, personal_workspace


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("+1 900 555 0100", "premium-rate"),
        ("+44 20 7183 8750", "country"),
        ("+33 1 42 68 53 00", "country"),
        ("12", "digits"),
        ("hello", "not a phone number"),
    ],
)
def test_destination_rules(raw, words):
    with pytest.raises(ValidationError, match=words):
        destinations.check_destination(raw)


def test_allowed_destination_is_normalised():
    assert destinations.check_destination("(415) 555-0123") == "+14155550123"


def test_cap_refuses_calls_once_reached(db_url):
    uid = make_user()
    ws, owner = personal_workspace(uid), member_of(uid)
    with session_scope() as s:
        s.add(PlatformSetting(default_monthly_cap=Decimal("2.00")))
        spend.check_can_call(session=s, workspace_id=ws, user_id=uid)  # nothing spent yet
        ledger.record_cost(
            session=s,
            workspace_id=ws,
            kind=CostKind.NUMBER_MONTHLY,
            source_key="n",
            twilio_cost=Decimal("1.15"),
        )
        assert spend.cap_usage_percent(session=s, workspace_id=ws) == 69
        spend.check_can_call(session=s, workspace_id=ws, user_id=uid)
        spend.set_workspace_cap(session=s, member=owner, cap=Decimal("1.00"))
        with pytest.raises(ValidationError, match=r"spend cap of \$1.00"):
            spend.check_can_call(session=s, workspace_id=ws, user_id=uid)
        with pytest.raises(ValidationError, match="at most"):
            spend.set_workspace_cap(session=s, member=owner, cap=Decimal("5"))


def test_rate_limit(db_url):
    uid = make_user()
    ws = personal_workspace(uid)
    with session_scope() as s:
        s.add(PlatformSetting(calls_per_minute=3))
        for _ in range(3):
            spend.check_can_call(session=s, workspace_id=ws, user_id=uid)
            spend.record_attempt(session=s, workspace_id=ws)
        with pytest.raises(RateLimited, match="at most 3 a minute"):
            spend.check_can_call(session=s, workspace_id=ws, user_id=uid)


def test_login_failures_are_audited_and_only_admins_read_the_log(db_url):
    uid, admin_id = make_user(), make_user("root@example.com", Role.ADMIN)
    with pytest.raises(Exception), session_scope() as s:  # noqa: B017 - any login failure
        auth.login(session=s, email="ann@example.com", password="wrong password", client="1.2.3.4")
    with session_scope() as s:
        with pytest.raises(PermissionDenied):
            audit.list_events(session=s, actor=s.get(User, uid))
        events = audit.list_events(session=s, actor=s.get(User, admin_id), action="login")
        assert [(e.action, e.target_user_id, e.client) for e in events] == [
            ("login.failed", uid, "1.2.3.4")
        ]
        assert s.exec(select(AuditEvent)).all()


def test_admins_set_platform_controls_and_user_caps(db_url):
    uid, admin_id = make_user(), make_user("root@example.com", Role.ADMIN)
    with session_scope() as s, pytest.raises(PermissionDenied):
        spend.update_platform_settings(
            session=s, actor=s.get(User, uid), default_cap=Decimal("999"), calls_per_minute=99
        )
    with session_scope() as s:
        admin = s.get(User, admin_id)
        spend.update_platform_settings(
            session=s, actor=admin, default_cap=Decimal("5"), calls_per_minute=3
        )
        spend.set_user_cap(session=s, actor=admin, user_id=uid, cap=Decimal("1"))
    with session_scope() as s:
        assert spend.effective_cap(session=s, workspace_id=personal_workspace(uid)) == Decimal("1")
        assert spend.platform_settings(session=s).calls_per_minute == 3
        actions = [e.action for e in audit.list_events(session=s, actor=s.get(User, admin_id))]
        assert actions.count("admin.settings") == 1 and actions.count("admin.set_cap") == 1
