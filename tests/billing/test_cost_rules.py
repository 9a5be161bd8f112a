"""Money rules: the markup rounds half up at Twilio's five places, a ledger line is kept
once per source with every figure, and the daily rollups of two users' workspaces move with it (a
call counts once, a further leg or a fee adds cost but no call)."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import select

from callplatform import config
from callplatform.accounts import auth
from callplatform.billing import ledger
from callplatform.db import session_scope
from callplatform.models import CostItem, CostKind, DailyTotal, DailyUsage
from callplatform.workspaces import membership


def _ws(session, user_id: int) -> int:
    """The user's personal workspace, read in `session` (not committed yet)."""
    return membership.personal_workspace_id(session=session, user_id=user_id)


def test_the_markup_rounds_half_up_at_five_places():
    assert ledger.markup_amount(Decimal("0.00005"), Decimal("50")) == Decimal("0.00003")
    assert ledger.markup_amount(Decimal("-0.00005"), Decimal("50")) == Decimal("0.00003")
    assert ledger.markup_amount(Decimal("-0.014"), Decimal("20")) == Decimal("0.00280")
    assert ledger.markup_amount(Decimal("0.01"), Decimal("0")) == Decimal("0.00000")
    assert ledger.charge_for(Decimal("-0.014"), Decimal("20")) == Decimal("0.01680")
    assert ledger.charge_for(Decimal("0.00005"), Decimal("50")) == Decimal("0.00008")
    assert ledger.round_to_cent(Decimal("0.025")) == Decimal("0.03")
    assert ledger.round_to_cent(Decimal("1.4349")) == Decimal("1.43")


def test_a_ledger_line_keeps_every_figure_once(db_url, monkeypatch):
    monkeypatch.setenv("MARKUP_PERCENT", "12.5")
    config.reset_settings()
    with session_scope() as s:
        ann = auth.create_user(session=s, email="ann@example.com", password="long enough pw").id
        item = ledger.record_cost(session=s, workspace_id=_ws(s, ann), kind=CostKind.RECORDING,
                                 source_key="recording:RE1", twilio_cost=Decimal("-0.0085"),
                                 currency="CAD", description="Voicemail, 31 s")  # fmt: skip
        first_id = item.id
        again = ledger.record_cost(session=s, workspace_id=_ws(s, ann),
                                   kind=CostKind.RECORDING, source_key="recording:RE1",
                                   twilio_cost=Decimal("-5"))  # fmt: skip
        assert again.id == first_id
    with session_scope() as s:
        row = s.exec(select(CostItem)).one()
        assert row.handled_by is None  # no member was named as its handler
        assert (row.workspace_id, row.kind, row.source_key, row.currency, row.description) == (
            _ws(s, ann), CostKind.RECORDING, "recording:RE1", "CAD", "Voicemail, 31 s")  # fmt: skip
        assert (row.twilio_cost, row.markup, row.charge) == (
            Decimal("0.0085"), Decimal("0.00106"), Decimal("0.00956"))  # fmt: skip
        assert (row.number_id, row.call_id, row.recording_id) == (None, None, None)
        day = s.exec(select(DailyUsage)).one()
        assert (day.twilio_cost, day.markup, day.calls) == (
            Decimal("0.0085"),
            Decimal("0.00106"),
            0,
        )


def test_the_daily_rollups_follow_the_ledger_for_each_user(db_url):
    with session_scope() as s:
        ann = auth.create_user(session=s, email="ann@example.com", password="long enough pw").id
        bob = auth.create_user(session=s, email="bob@example.com", password="long enough pw").id
        lines = [  # user, kind, key, cost, seconds, failed, further leg
            (ann, CostKind.CALL, "call:1", "-0.014", 61, False, False),
            (ann, CostKind.CALL, "call:1b", "-0.004", 61, False, True),  # its browser leg
            (ann, CostKind.CALL, "call:2", "0", 0, True, False),  # busy
            (ann, CostKind.RECORDING, "rec:1", "-0.0025", 40, True, False),
            (ann, CostKind.NUMBER_MONTHLY, "number:1", "1.15", 0, False, False),
            (bob, CostKind.CALL, "call:3", "-0.028", 100, False, False),
            (ann, CostKind.CALL, "call:1", "-9", 999, True, False),  # a repeat: absorbed
        ]
        for user, kind, key, cost, seconds, failed, leg in lines:
            ledger.record_cost(session=s, workspace_id=_ws(s, user), kind=kind, source_key=key,
                              twilio_cost=Decimal(cost), call_seconds=seconds, failed=failed,
                              further_leg=leg)  # fmt: skip
    with session_scope() as s:
        days = {d.workspace_id: d for d in s.exec(select(DailyUsage)).all()}
        total = s.exec(select(DailyTotal)).one()
        ann, bob = _ws(s, ann), _ws(s, bob)
    figures = {u: (d.calls, d.failed_calls, d.call_seconds, d.twilio_cost, d.markup)
               for u, d in days.items()}  # fmt: skip
    assert figures == {
        ann: (2, 1, 61, Decimal("1.1705"), Decimal("0.23410")),
        bob: (1, 0, 100, Decimal("0.028"), Decimal("0.00560")),
    }
    assert (total.calls, total.failed_calls, total.call_seconds, total.twilio_cost,
            total.markup) == (3, 1, 161, Decimal("1.1985"), Decimal("0.23970"))  # fmt: skip
    assert total.day == days[ann].day == days[bob].day


def test_a_call_line_by_default_is_one_answered_call_in_dollars(db_url):
    with session_scope() as s:
        ann = auth.create_user(session=s, email="ann@example.com", password="long enough pw").id
        ledger.record_cost(session=s, workspace_id=_ws(s, ann), kind=CostKind.CALL,
                           source_key="call:1", twilio_cost=Decimal("-0.014"))  # fmt: skip
    with session_scope() as s:
        assert s.exec(select(CostItem.currency)).one() == "USD"
        day = s.exec(select(DailyUsage)).one()
        assert (day.calls, day.failed_calls, day.call_seconds) == (1, 0, 0)
