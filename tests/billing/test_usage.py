"""Costs to the cent, markup included, and the month's totals explained by their items."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from callplatform.accounts import auth
from callplatform.billing import ledger, usage
from callplatform.common.errors import ValidationError
from callplatform.db import session_scope
from callplatform.models import CostKind, UserPhoneNumber
from callplatform.workspaces import membership
from tests.helpers import member_of


def _ws(session, user_id: int) -> int:
    """The user's personal workspace, read in `session` (not committed yet)."""
    return membership.personal_workspace_id(session=session, user_id=user_id)


def test_markup_arithmetic_is_exact():
    assert ledger.markup_amount(Decimal("-0.01300"), Decimal("20")) == Decimal("0.00260")
    assert ledger.charge_for(Decimal("1.15"), Decimal("20")) == Decimal("1.38000")
    assert ledger.charge_for(Decimal("0.0085"), Decimal("12.5")) == Decimal("0.00956")
    assert ledger.round_to_cent(Decimal("0.005")) == Decimal("0.01")


def test_month_summary_adds_up(db_url):
    with session_scope() as s:
        ann = auth.create_user(session=s, email="ann@example.com", password="long enough pw")
        bob = auth.create_user(session=s, email="bob@example.com", password="long enough pw")
        number = UserPhoneNumber(
            user_id=ann.id,
            workspace_id=_ws(s, ann.id),
            phone_number="+14155550100",
            phone_number_sid="PN" + "1" * 32,
        )
        s.add(number)
        s.flush()
        items = [  # workspace's user, kind, key, cost, number, handled by
            (ann.id, CostKind.NUMBER_MONTHLY, "n1", "1.15", number.id, None),
            (ann.id, CostKind.CALL, "c1", "-0.0140", number.id, ann.id),
            (ann.id, CostKind.CALL, "c2", "-0.0280", number.id, ann.id),
            (ann.id, CostKind.RECORDING, "r1", "-0.0025", None, None),
            (bob.id, CostKind.CALL, "b1", "-9.99", None, bob.id),  # another workspace's
        ]
        for user_id, kind, key, price, number_id, handler in items:
            ledger.record_cost(
                session=s,
                workspace_id=_ws(s, user_id),
                kind=kind,
                source_key=key,
                twilio_cost=Decimal(price),
                number_id=number_id,
                handled_by=handler,
            )
        ledger.record_cost(
            session=s,
            workspace_id=_ws(s, ann.id),
            kind=CostKind.CALL,
            source_key="c1",
            twilio_cost=Decimal("-5"),
        )  # a repeat is absorbed
        ann_id = ann.id
    month = usage.Month.current()
    with session_scope() as s:
        summary = usage.get_summary(session=s, member=member_of(ann_id), month=month)
        all_items = usage.list_items(session=s, member=member_of(ann_id), month=month)
        calls = usage.list_items(session=s, member=member_of(ann_id), month=month, kind="call")
    assert summary.twilio_cost == Decimal("1.19450")
    assert summary.markup == Decimal("0.23890")
    assert summary.total == Decimal("1.43340")
    assert ledger.round_to_cent(summary.total) == Decimal("1.43")
    assert summary.by_kind == {
        "number_monthly": Decimal("1.38"),
        "call": Decimal("0.0504"),
        "recording": Decimal("0.003"),
    }
    assert sum(i.charge for i in all_items) == summary.total
    assert sum(i.charge for i in calls) == summary.by_kind["call"]
    assert summary.by_number == [("+14155550100", Decimal("1.4304"))]
    # Ann's calls are hers; the number's fee and the recording are nobody's call.
    assert summary.by_member == [("", Decimal("1.383")), ("ann@example.com", Decimal("0.0504"))]
    assert sum(charge for _, charge in summary.by_member) == summary.total
    assert [d for d, _ in summary.daily] == [datetime.now(UTC).strftime("%Y-%m-%d")]
    last = usage.Month(2020, 1)
    with session_scope() as s:
        assert usage.get_summary(session=s, member=member_of(ann_id), month=last).total == 0


@pytest.mark.parametrize("text", ["2026", "2026-13", "abc", ""])
def test_bad_month(text):
    with pytest.raises(ValidationError):
        usage.Month.parse(text)


def test_minutes_are_billed_per_started_minute(db_url):
    from callplatform.models import TwilioCall, TwilioRecording

    with session_scope() as s:
        ann = auth.create_user(session=s, email="ann@example.com", password="long enough pw")
        for i, seconds in enumerate((61, 59, None)):
            s.add(
                TwilioCall(
                    workspace_id=_ws(s, ann.id),
                    handled_by=ann.id,
                    call_sid=f"CA{i:032d}",
                    direction="outbound",
                    from_number="+14155550100",
                    to_number="+12125550100",
                    status="completed",
                    duration_seconds=seconds,
                )
            )
        s.add(
            TwilioRecording(
                workspace_id=_ws(s, ann.id),
                recording_sid="RE" + "1" * 32,
                call_sid="CA" + "0" * 32,
                duration_seconds=130,
            )
        )
        ann_id = ann.id
    with session_scope() as s:
        summary = usage.get_summary(
            session=s, member=member_of(ann_id), month=usage.Month.current()
        )
    assert (summary.call_minutes, summary.recording_minutes) == (3, 3)
