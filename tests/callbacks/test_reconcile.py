"""The reconciliation sweep, against the sandbox: what a lost callback would have told us
is read from Twilio for calls open past the grace period (never younger ones), status
only moves forward, and prices become ledger lines once, a failed call counted as one.
Recordings get their price; a Twilio that is down stops the sweep, to be run again."""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal

from sqlalchemy import update
from sqlmodel import select

from callplatform import config
from callplatform.callbacks import reconcile
from callplatform.db import session_scope
from callplatform.models import CostItem, DailyUsage, TwilioCall, TwilioRecording
from callplatform.models.base import utcnow
from callplatform.telephony import client
from tests.calls.test_calling import finished, line, place  # noqa: F401
from tests.helpers import member_of, personal_workspace, wait_for_db

ANSWERED, BUSY = "+14155550123", "+14155550101"


def _lose_the_end(call_id: int, open_for: timedelta, status: str = "in-progress") -> None:
    """As if the final callback never came: the call is still open in our log."""
    with session_scope() as s:
        s.exec(update(TwilioCall).where(TwilioCall.id == call_id).values(
            status=status, ended_at=None, duration_seconds=None, price=None,
            started_at=utcnow() - open_for))  # fmt: skip
        s.exec(CostItem.__table__.delete())
        s.exec(DailyUsage.__table__.delete())


def _sweep() -> int:
    with session_scope() as s:
        return reconcile.reconcile_calls(session=s)


def _call(call_id: int) -> TwilioCall:
    with session_scope() as s:
        return s.get(TwilioCall, call_id)


def test_an_open_call_past_the_grace_period_is_finished_from_twilio(line):  # noqa: F811
    uid, mine = line
    done = wait_for_db(finished(place(uid, mine, ANSWERED)))
    young = wait_for_db(finished(place(uid, mine, BUSY)))
    _lose_the_end(done.id, timedelta(minutes=5, seconds=30))
    _lose_the_end(young.id, timedelta(minutes=4, seconds=30), status="ringing")
    before = utcnow()
    assert _sweep() == 1
    call = _call(done.id)
    assert (call.status, call.duration_seconds, call.price) == (
        "completed", done.duration_seconds, Decimal("0.014"))  # fmt: skip
    assert before - timedelta(seconds=1) <= call.ended_at.replace(tzinfo=UTC) <= utcnow()
    assert (_call(young.id).status, _call(young.id).price) == ("ringing", None)
    with session_scope() as s:
        items = s.exec(select(CostItem).order_by(CostItem.twilio_cost)).all()
        ws = personal_workspace(uid)
        assert [(i.workspace_id, i.handled_by, i.call_id, i.number_id, i.currency, i.twilio_cost)
                for i in items] == [
            (ws, uid, done.id, done.number_id, "USD", Decimal("0.004")),  # the browser's leg
            (ws, uid, done.id, done.number_id, "USD", Decimal("0.014")),
        ]  # fmt: skip
        assert done.number_id is not None
        day = s.exec(select(DailyUsage)).one()  # one call, both legs' cost
        assert (day.workspace_id, day.calls, day.failed_calls, day.call_seconds) == (
            ws, 1, 0, done.duration_seconds)  # fmt: skip
        assert day.twilio_cost == Decimal("0.018")
    assert _sweep() == 0  # finished and priced: nothing left to ask
    with session_scope() as s:
        assert len(s.exec(select(CostItem)).all()) == 2


def _price_sandbox_call(sid: str, price) -> None:
    """What Twilio says a call cost (None: not priced yet)."""
    from twilio_sandbox import database
    from twilio_sandbox.models import SandboxCall

    with database.session_scope() as s:
        row = s.get(SandboxCall, sid)
        row.price = price
        s.add(row)


def test_a_browser_leg_priced_after_its_call_is_billed_later(line):  # noqa: F811
    """Twilio may price the browser's leg after the call it carried: a later sweep still
    bills it (once), though the call itself is priced already."""
    uid, mine = line
    done = wait_for_db(finished(place(uid, mine, ANSWERED)))
    _lose_the_end(done.id, timedelta(minutes=5, seconds=30))
    _price_sandbox_call(done.parent_call_sid, None)
    assert _sweep() == 1
    with session_scope() as s:
        assert [i.twilio_cost for i in s.exec(select(CostItem)).all()] == [Decimal("0.014")]
    _price_sandbox_call(done.parent_call_sid, Decimal("-0.004"))
    _sweep()
    _sweep()  # once only
    with session_scope() as s:
        costs = sorted(i.twilio_cost for i in s.exec(select(CostItem)).all())
        assert costs == [Decimal("0.004"), Decimal("0.014")]
        day = s.exec(select(DailyUsage)).one()
        assert (day.calls, day.twilio_cost) == (1, Decimal("0.018"))


def test_a_finished_call_without_a_price_is_priced_once_and_counted_failed(line):  # noqa: F811
    uid, mine = line
    busy = wait_for_db(finished(place(uid, mine, BUSY)))
    _lose_the_end(busy.id, timedelta(0), status="busy")  # final, only the price is missing
    assert _sweep() == 1
    assert (_call(busy.id).status, _call(busy.id).price) == ("busy", Decimal("0"))
    assert _call(busy.id).ended_at is None  # what the callback said is not ours to invent
    with session_scope() as s:
        day = s.exec(select(DailyUsage)).one()
        assert (day.calls, day.failed_calls, day.call_seconds) == (1, 1, 0)
    assert _sweep() == 0


def test_the_sweep_never_moves_a_call_back(line):  # noqa: F811
    uid, mine = line
    done = wait_for_db(finished(place(uid, mine, ANSWERED)))
    _lose_the_end(done.id, timedelta(0), status="failed")  # ours is final already
    assert _sweep() == 1
    call = _call(done.id)
    assert (call.status, call.duration_seconds) == ("failed", done.duration_seconds)


def test_calls_twilio_does_not_have_are_skipped(line):  # noqa: F811
    uid, mine = line
    with session_scope() as s:  # first in line, and unknown to Twilio
        s.add(TwilioCall(workspace_id=personal_workspace(uid), handled_by=uid,
                         call_sid="CA" + "0" * 32, direction="outbound", from_number=mine,
                         to_number=ANSWERED, status="completed"))  # fmt: skip
    done = wait_for_db(finished(place(uid, mine, ANSWERED)))
    _lose_the_end(done.id, timedelta(minutes=10))
    assert _sweep() == 1
    assert _call(done.id).status == "completed"


def test_a_sweep_takes_a_bounded_batch(line, monkeypatch):  # noqa: F811
    uid, mine = line
    calls = [wait_for_db(finished(place(uid, mine, to))) for to in (ANSWERED, BUSY)]
    for call in calls:
        _lose_the_end(call.id, timedelta(minutes=10))
    monkeypatch.setattr(reconcile, "BATCH", 1)
    assert _sweep() == 1
    assert _sweep() == 1
    assert sorted(_call(c.id).status for c in calls) == ["busy", "completed"]


def test_a_twilio_that_is_down_stops_the_sweep(line, monkeypatch):  # noqa: F811
    uid, mine = line
    done = wait_for_db(finished(place(uid, mine, ANSWERED)))
    _lose_the_end(done.id, timedelta(minutes=10))
    monkeypatch.setenv("TWILIO_API_BASE_URL", "http://127.0.0.1:9/_sandbox/twilio")
    config.reset_settings()
    client.clear_client_cache()
    assert _sweep() == 0
    with session_scope() as s:
        assert reconcile.reconcile_recordings(session=s) == 0
    assert _call(done.id).status == "in-progress"


def test_recordings_are_priced_once_deleted_ones_never(line):  # noqa: F811
    from callplatform.numbers import inventory

    uid, mine = line
    with session_scope() as s:
        number = inventory.list_numbers(session=s, member=member_of(uid))[0]
        inventory.set_call_recording(
            session=s, member=member_of(uid), number_id=number.id, enabled=True
        )
    call = wait_for_db(finished(place(uid, mine, ANSWERED)))
    rec = wait_for_db(lambda s: s.exec(select(TwilioRecording)).first())
    with session_scope() as s:  # deleted by its owner: no longer ours to price
        s.exec(update(TwilioRecording).values(deleted_at=utcnow()))
    with session_scope() as s:
        assert reconcile.reconcile_recordings(session=s) == 0
        s.exec(update(TwilioRecording).values(deleted_at=None))
    with session_scope() as s:
        assert reconcile.reconcile_recordings(session=s) == 1
    with session_scope() as s:
        assert reconcile.reconcile_recordings(session=s) == 0
        priced = s.get(TwilioRecording, rec.id)
        assert (priced.price, priced.price_unit) == (Decimal("0.0025"), "USD")
        item = s.exec(select(CostItem).where(CostItem.recording_id == rec.id)).one()
        assert (item.workspace_id, item.handled_by, item.call_id, item.kind, item.currency,
                item.twilio_cost) == (personal_workspace(uid), uid, call.id, "recording", "USD",
                                      Decimal("0.0025"))  # fmt: skip
        assert item.source_key == f"recording:{rec.recording_sid}"


def test_every_final_status_but_completed_is_a_failed_call(sqlite_db):
    from callplatform.accounts import auth
    from callplatform.workspaces import membership

    with session_scope() as s:
        ann = auth.create_user(session=s, email="ann@example.com", password="long enough pw").id
        ws = membership.personal_workspace_id(session=s, user_id=ann)
        for n, status in enumerate(["completed", "busy", "failed", "no-answer", "canceled"]):
            call = TwilioCall(workspace_id=ws, handled_by=ann, call_sid=f"CA{n:032d}",
                              direction="outbound", from_number="+14155550100",
                              to_number="+12125550123", status=status,
                              duration_seconds=30 if n == 0 else None)  # fmt: skip
            s.add(call)
            s.flush()
            reconcile.set_call_price(session=s, call=call, price=Decimal("-0.014"), unit="")
            reconcile.set_call_price(session=s, call=call, price=Decimal("-9"), unit="EUR")
    with session_scope() as s:
        day = s.exec(select(DailyUsage)).one()
        assert (day.calls, day.failed_calls, day.call_seconds) == (5, 4, 30)
        items = s.exec(select(CostItem)).all()
        assert {(i.currency, i.twilio_cost) for i in items} == {("USD", Decimal("0.014"))}
        assert {c.price_unit for c in s.exec(select(TwilioCall))} == {"USD"}


def test_recordings_are_priced_in_bounded_batches(line, monkeypatch):  # noqa: F811
    from callplatform.numbers import inventory

    uid, mine = line
    with session_scope() as s:
        number = inventory.list_numbers(session=s, member=member_of(uid))[0]
        inventory.set_call_recording(
            session=s, member=member_of(uid), number_id=number.id, enabled=True
        )
    for _ in range(3):
        wait_for_db(finished(place(uid, mine, ANSWERED)))
    wait_for_db(lambda s: len(s.exec(select(TwilioRecording)).all()) == 3)
    monkeypatch.setattr(reconcile, "BATCH", 1)
    with session_scope() as s:
        assert reconcile.reconcile_recordings(session=s) == 1
    monkeypatch.setattr(reconcile, "BATCH", 200)
    with session_scope() as s:
        assert reconcile.reconcile_recordings(session=s) == 2
    with session_scope() as s:
        assert {r.price for r in s.exec(select(TwilioRecording))} == {Decimal("0.0025")}
