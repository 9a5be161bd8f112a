"""The spend rules with two users (each in their personal workspace) and two months: the
cap is checked against the workspace's own charges of this month only, a workspace exactly
at the cap is refused, and one workspace's call attempts never rate-limit another. Admin
controls and their bounds, audited."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from callplatform.accounts import auth
from callplatform.billing import spend
from callplatform.billing.usage import Month
from callplatform.calls import destinations
from callplatform.common import audit
from callplatform.common.errors import PermissionDenied, RateLimited, ValidationError
from callplatform.db import session_scope
from callplatform.models import (
    CallAttempt,
    CostItem,
    CostKind,
    PlatformSetting,
    Role,
    User,
    Workspace,
)
from callplatform.models.base import utcnow
from callplatform.workspaces import access, membership

MICRO = timedelta(microseconds=1)


def _users(session) -> tuple[User, User, User]:
    def make(email, role=Role.USER):
        return auth.create_user(session=session, email=email, password="long enough pw", role=role)

    return make("ann@example.com"), make("bob@example.com"), make("root@example.com", Role.ADMIN)


def _ws(session, user_id: int) -> int:
    """The user's personal workspace, read in `session` (it may not be committed yet)."""
    return membership.personal_workspace_id(session=session, user_id=user_id)


def _owner(session, user_id: int) -> access.Member:
    """The user acting in their personal workspace (its owner)."""
    return access.acting_member(
        session=session, user_id=user_id, workspace_id=_ws(session, user_id)
    )


def _cap_of(session, user_id: int):
    """The cap the user's personal workspace holds (None: the platform default)."""
    return session.get(Workspace, _ws(session, user_id)).monthly_cap


def _charge(session, user: User, amount: str, when, key: str) -> None:
    session.add(CostItem(workspace_id=_ws(session, user.id), kind=CostKind.CALL, source_key=key,
                         twilio_cost=Decimal(amount), charge=Decimal(amount),
                         occurred_at=when))  # fmt: skip
    session.flush()


@pytest.fixture
def two_months(db_url):
    """Ann and Bob, each with charges this month, last month and (bad data) next month."""
    month = Month.current()
    with session_scope() as s:
        ann, bob, admin = _users(s)
        s.add(PlatformSetting(default_monthly_cap=Decimal("10.00"), calls_per_minute=3))
        _charge(s, ann, "2.50", month.start, "ann-first-instant")
        _charge(s, ann, "1.25", utcnow() - MICRO, "ann-now")
        _charge(s, ann, "40.00", month.start - MICRO, "ann-last-month")
        _charge(s, ann, "80.00", month.end, "ann-next-month")
        _charge(s, bob, "9.00", utcnow() - MICRO, "bob-now")
        return ann.id, bob.id, admin.id


def test_the_month_spend_is_the_users_own_this_month(two_months):
    ann, bob, _ = two_months
    with session_scope() as s:
        ann_ws, bob_ws = _ws(s, ann), _ws(s, bob)
        assert spend.month_spend(session=s, workspace_id=ann_ws) == Decimal("3.75")
        assert spend.month_spend(session=s, workspace_id=bob_ws) == Decimal("9.00")
        assert spend.cap_usage_percent(session=s, workspace_id=ann_ws) == 37  # 3.75 of 10
        assert spend.cap_usage_percent(session=s, workspace_id=bob_ws) == 90


def test_a_user_with_no_charges_has_spent_nothing(db_url):
    with session_scope() as s:
        ann, _, _ = _users(s)
        assert spend.month_spend(session=s, workspace_id=_ws(s, ann.id)) == Decimal("0")
        assert spend.cap_usage_percent(session=s, workspace_id=_ws(s, ann.id)) == 0


def test_exactly_at_the_cap_is_refused_just_under_is_not(two_months):
    ann, bob, _ = two_months
    with session_scope() as s:
        ann_ws, bob_ws = _ws(s, ann), _ws(s, bob)
        spend.set_workspace_cap(session=s, member=_owner(s, ann), cap=Decimal("3.75001"))
        spend.check_can_call(session=s, workspace_id=ann_ws, user_id=ann)  # under: allowed
        spend.check_can_call(session=s, workspace_id=bob_ws, user_id=bob)  # 9 of 10: allowed
        spend.set_workspace_cap(session=s, member=_owner(s, ann), cap=Decimal("3.75"))
        with pytest.raises(ValidationError, match=r"monthly spend cap of \$3\.75\b"):
            spend.check_can_call(session=s, workspace_id=ann_ws, user_id=ann)
        spend.check_can_call(session=s, workspace_id=bob_ws, user_id=bob)  # Ann's cap is Ann's
        assert spend.cap_usage_percent(session=s, workspace_id=ann_ws) == 100


def test_a_cap_under_a_dollar_reads_as_its_share(two_months):
    ann, _, _ = two_months
    with session_scope() as s:
        member, ws = _owner(s, ann), _ws(s, ann)
        spend.set_workspace_cap(session=s, member=member, cap=Decimal("7.50"))
        assert spend.cap_usage_percent(session=s, workspace_id=ws) == 50
        spend.set_workspace_cap(session=s, member=member, cap=Decimal("0.50"))
        _charge(s, s.get(User, ann), "-3.50", utcnow() - MICRO, "ann-refund")
        assert spend.cap_usage_percent(session=s, workspace_id=ws) == 50  # 0.25 of 0.50


def test_a_zero_cap_stops_calls_and_reads_as_full(two_months):
    _, bob, _ = two_months
    with session_scope() as s:
        ws = _ws(s, bob)
        spend.set_workspace_cap(session=s, member=_owner(s, bob), cap=Decimal("0"))
        assert spend.cap_usage_percent(session=s, workspace_id=ws) == 100
        with pytest.raises(ValidationError, match="spend cap"):
            spend.check_can_call(session=s, workspace_id=ws, user_id=bob)


def test_the_effective_cap_is_the_lower_of_the_platforms_and_the_users(two_months):
    ann, _, admin = two_months
    with session_scope() as s:
        member, ws = _owner(s, ann), _ws(s, ann)
        assert spend.effective_cap(session=s, workspace_id=ws) == Decimal("10.00")  # none own
        spend.set_workspace_cap(session=s, member=member, cap=Decimal("4"))
        assert spend.effective_cap(session=s, workspace_id=ws) == Decimal("4")
        spend.set_user_cap(session=s, actor=s.get(User, admin), user_id=ann, cap=Decimal("25"))
        assert spend.effective_cap(session=s, workspace_id=ws) == Decimal("10.00")  # never above
        spend.set_workspace_cap(session=s, member=member, cap=None)
        assert _cap_of(s, ann) is None


def test_without_settings_the_platform_defaults_apply(db_url):
    with session_scope() as s:
        ann, _, _ = _users(s)
        defaults = PlatformSetting()
        ws = _ws(s, ann.id)
        assert spend.effective_cap(session=s, workspace_id=ws) == defaults.default_monthly_cap
        assert spend.platform_settings(session=s).calls_per_minute == defaults.calls_per_minute


def test_own_cap_bounds(two_months):
    ann, _, _ = two_months
    with session_scope() as s:
        member = _owner(s, ann)
        spend.set_workspace_cap(session=s, member=member, cap=Decimal("10.00"))  # the default
        assert _cap_of(s, ann) == Decimal("10.00")
        for bad, field in ((Decimal("10.01"), "cap"), (Decimal("-0.01"), "cap")):
            with pytest.raises(ValidationError) as err:
                spend.set_workspace_cap(session=s, member=member, cap=bad)
            assert err.value.field == field
        assert _cap_of(s, ann) == Decimal("10.00")


def test_one_users_attempts_never_rate_limit_another(two_months):
    ann, bob, _ = two_months
    with session_scope() as s:
        ann_ws, bob_ws = _ws(s, ann), _ws(s, bob)
        for _ in range(5):
            spend.record_attempt(session=s, workspace_id=bob_ws)
        s.flush()
        for _ in range(2):  # a limit of 3: the third attempt is still allowed
            spend.check_can_call(session=s, workspace_id=ann_ws, user_id=ann)
            spend.record_attempt(session=s, workspace_id=ann_ws)
        s.flush()
        spend.check_can_call(session=s, workspace_id=ann_ws, user_id=ann)
        spend.record_attempt(session=s, workspace_id=ann_ws)
        s.flush()
        with pytest.raises(RateLimited) as err:
            spend.check_can_call(session=s, workspace_id=ann_ws, user_id=ann)
        assert err.value.retry_after_seconds == 60 and "at most 3 a minute" in err.value.message


def test_attempts_older_than_a_minute_do_not_count(two_months):
    ann, _, _ = two_months
    with session_scope() as s:
        ws = _ws(s, ann)
        for age in (61, 90, 3600):
            s.add(CallAttempt(workspace_id=ws, at=utcnow() - timedelta(seconds=age)))
        s.add(CallAttempt(workspace_id=ws, at=utcnow() - timedelta(seconds=50)))
        s.add(CallAttempt(workspace_id=ws, at=utcnow() - timedelta(seconds=10)))
        s.flush()
        spend.check_can_call(session=s, workspace_id=ws, user_id=ann)  # 2 of 3 in the last minute
        s.add(CallAttempt(workspace_id=ws))
        s.flush()
        with pytest.raises(RateLimited):
            spend.check_can_call(session=s, workspace_id=ws, user_id=ann)


def test_platform_settings_bounds_and_audit(two_months):
    ann, _, admin = two_months
    with session_scope() as s:
        actor = s.get(User, admin)
        for cap, rate in ((Decimal("-1"), 10), (Decimal("5"), 0), (Decimal("5"), 601)):
            with pytest.raises(ValidationError):
                spend.update_platform_settings(
                    session=s, actor=actor, default_cap=cap, calls_per_minute=rate
                )
        with pytest.raises(PermissionDenied):
            spend.update_platform_settings(
                session=s, actor=s.get(User, ann), default_cap=Decimal("1"), calls_per_minute=1
            )
        for cap, rate in ((Decimal("0"), 1), (Decimal("7.5"), 600)):
            row = spend.update_platform_settings(
                session=s, actor=actor, default_cap=cap, calls_per_minute=rate
            )
            assert (row.id, row.default_monthly_cap, row.calls_per_minute) == (1, cap, rate)
    with session_scope() as s:
        settings = spend.platform_settings(session=s)
        assert (settings.default_monthly_cap, settings.calls_per_minute) == (Decimal("7.5"), 600)
        events = audit.list_events(session=s, actor=s.get(User, admin), action="admin.settings")
        assert [e.actor_user_id for e in events] == [admin, admin]
        assert events[0].detail == _settings("7.5", "600", was=("0", "1"))
        assert {k: events[1].detail[k] for k in ("default_cap", "calls_per_minute")} == {
            "default_cap": "0",
            "calls_per_minute": "1",
        }
        assert {"was_default_cap", "was_calls_per_minute"} <= events[1].detail.keys()


def _settings(cap: str, rate: str, *, was: tuple[str, str]) -> dict:
    return {
        "default_cap": cap,
        "calls_per_minute": rate,
        "was_default_cap": was[0],
        "was_calls_per_minute": was[1],
    }


def test_platform_settings_start_from_the_defaults(db_url):
    with session_scope() as s:
        _, _, admin = _users(s)
        spend.update_platform_settings(
            session=s, actor=admin, default_cap=Decimal("3"), calls_per_minute=2
        )
    with session_scope() as s:
        row = s.get(PlatformSetting, 1)
        assert (row.default_monthly_cap, row.calls_per_minute) == (Decimal("3"), 2)


def test_admins_set_a_users_cap_audited(two_months):
    ann, bob, admin = two_months
    with session_scope() as s:
        actor = s.get(User, admin)
        with pytest.raises(PermissionDenied):
            spend.set_user_cap(session=s, actor=s.get(User, bob), user_id=ann, cap=Decimal("1"))
        with pytest.raises(ValidationError, match="No such user"):
            spend.set_user_cap(session=s, actor=actor, user_id=9999, cap=Decimal("1"))
        with pytest.raises(ValidationError) as err:
            spend.set_user_cap(session=s, actor=actor, user_id=ann, cap=Decimal("-0.01"))
        assert err.value.field == "cap"
        spend.set_user_cap(session=s, actor=actor, user_id=ann, cap=Decimal("0"))
        spend.set_user_cap(session=s, actor=actor, user_id=bob, cap=Decimal("2.5"))
        spend.set_user_cap(session=s, actor=actor, user_id=bob, cap=None)
    with session_scope() as s:
        assert _cap_of(s, ann) == Decimal("0")
        assert _cap_of(s, bob) is None
        events = audit.list_events(session=s, actor=s.get(User, admin), action="admin.set_cap")
        # Amounts as numbers: a cap read back from its column has the column's 5 places.
        assert [(e.actor_user_id, e.target_user_id, _amounts(e.detail)) for e in events] == [
            (admin, bob, {"cap": None, "was": Decimal("2.5")}),
            (admin, bob, {"cap": Decimal("2.5"), "was": None}),
            (admin, ann, {"cap": Decimal("0"), "was": None}),
        ]


def _amounts(detail: dict) -> dict:
    return {k: None if v == "None" else Decimal(v) for k, v in detail.items()}


@pytest.mark.parametrize(
    ("raw", "e164"),
    [("(415) 555-0123", "+14155550123"), ("+1 416 555 0123", "+14165550123"),
     ("+1 800 234 5678", "+18002345678")],
)  # fmt: skip
def test_the_united_states_and_canada_can_be_called(raw, e164):
    assert destinations.check_destination(raw) == e164


@pytest.mark.parametrize(
    ("raw", "words"),
    [("+1 900 212 3456", "premium-rate"), ("+1 310 1234", "high-cost"),
     ("+44 20 7183 8750", "country"), ("+52 55 1234 5678", "country")],
)  # fmt: skip
def test_a_refused_destination_names_its_field(raw, words):
    with pytest.raises(ValidationError, match=words) as err:
        destinations.check_destination(raw)
    assert err.value.field == "to"
    with pytest.raises(ValidationError, match=words) as err:
        destinations.check_destination(raw, field="destination")
    assert err.value.field == "destination"
    with pytest.raises(ValidationError) as err:
        destinations.check_destination("12", field="destination")
    assert err.value.field == "destination"


def test_a_cap_is_an_amount_between_nothing_and_the_maximum(two_months):
    ann, _, admin = two_months
    with session_scope() as s:
        actor = s.get(User, admin)
        spend.set_user_cap(session=s, actor=actor, user_id=ann, cap=spend.MAX_CAP)
        assert _cap_of(s, ann) == spend.MAX_CAP
        bad = [Decimal("NaN"), Decimal("Infinity"), Decimal("-1"), spend.MAX_CAP + 1, "5", 5.0]
        for cap in bad:
            with pytest.raises(ValidationError) as err:
                spend.set_user_cap(session=s, actor=actor, user_id=ann, cap=cap)
            assert err.value.field == "cap", cap
        for user_id in (0, -1, 2**64, "1"):
            with pytest.raises(ValidationError, match="No such user"):
                spend.set_user_cap(session=s, actor=actor, user_id=user_id, cap=Decimal("1"))
        assert _cap_of(s, ann) == spend.MAX_CAP
