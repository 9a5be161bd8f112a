"""The figures a user and an admin read about calls, from real sandbox calls: a browser
call counts once (not once per leg at Twilio), and what it cost is the same sum in the
call log, the CSV and the ledger; a recording is titled with the other party; a call
lasts (and is recorded and billed) as long as its talk, and an answered incoming call is
recorded when its number asks for it."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from callplatform import config
from callplatform.accounts import auth
from callplatform.admin import analytics
from callplatform.callbacks import reconcile
from callplatform.calls import browser_calls
from callplatform.db import session_scope
from callplatform.history import call_log, recordings
from callplatform.models import CostItem, Role, TwilioCall, TwilioRecording, User
from callplatform.numbers import inventory
from callplatform.telephony import sandbox_device
from callplatform.tenancy import subaccounts
from tests.calls.test_calling import finished, line, place  # noqa: F401
from tests.helpers import member_of, personal_workspace, wait_for_db

ANSWERED, BUSY = "+14155550123", "+14155550101"


def _priced(call_id: int, legs: int):
    """Run the sweep until the call's legs all have their ledger lines."""

    def check(s):
        reconcile.reconcile_calls(session=s)
        s.commit()
        items = s.exec(select(CostItem).where(CostItem.call_id == call_id)).all()
        return len(items) == legs

    return check


@pytest.fixture
def two_calls(line):  # noqa: F811 (the fixture imported above)
    uid, mine = line
    with session_scope() as s:
        number = inventory.list_numbers(session=s, member=member_of(uid))[0]
        inventory.set_call_recording(
            session=s, member=member_of(uid), number_id=number.id, enabled=True
        )
    answered = wait_for_db(finished(place(uid, mine, ANSWERED)))
    busy = wait_for_db(finished(place(uid, mine, BUSY)))
    wait_for_db(_priced(answered.id, legs=2))
    wait_for_db(_priced(busy.id, legs=2))
    return uid, answered, busy


def test_a_browser_call_counts_once_in_admin_analytics(two_calls):
    with session_scope() as s:
        admin = auth.create_user(
            session=s, email="root@example.com", password="long enough pw", role=Role.ADMIN
        )
        today = datetime.now(UTC).date()
        board = analytics.dashboard(session=s, actor=s.get(User, admin.id), start=today, end=today)
    assert board.calls == 2  # two calls placed, four legs at Twilio
    assert board.failed_rate == pytest.approx(0.5)


def test_a_call_costs_the_same_in_the_log_the_csv_and_the_ledger(two_calls):
    uid, answered, busy = two_calls
    with session_scope() as s:
        charges = call_log.charges_for(
            session=s, workspace_id=personal_workspace(uid), call_ids=[answered.id, busy.id]
        )
        ledger = sum(
            i.charge for i in s.exec(select(CostItem).where(CostItem.call_id == answered.id))
        )
        exported = call_log.export_csv(
            session=s, member=member_of(uid), filters=call_log.CallFilters()
        )
    # both legs, markup included: $0.014 + $0.004 per minute, +20%
    assert charges[answered.id] == ledger == Decimal("0.0216")
    rows = {row["to"]: row for row in csv.DictReader(io.StringIO(exported))}
    assert Decimal(rows[ANSWERED]["cost"]) == charges[answered.id]
    assert Decimal(rows[BUSY]["cost"] or "0") == charges.get(busy.id, Decimal(0))


def test_a_recording_is_titled_with_the_other_party(two_calls):
    uid, answered, _busy = two_calls
    with session_scope() as s:
        found = recordings.list_recordings(session=s, member=member_of(uid))
    assert [(rec.call_id, other) for rec, other in found] == [(answered.id, ANSWERED)]


def test_a_call_hung_up_mid_talk_lasts_as_long_as_the_talk(line, monkeypatch):  # noqa: F811
    uid, mine = line
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.1")  # 1 s of call time is 0.1 s here
    config.reset_settings()
    with session_scope() as s:
        number = inventory.list_numbers(session=s, member=member_of(uid))[0]
        inventory.set_call_recording(
            session=s, member=member_of(uid), number_id=number.id, enabled=True
        )
    parent = place(uid, mine, "+14155550119")  # the far end would talk for 24 s
    wait_for_db(lambda s: (c := _leg(s, parent)) is not None and c.status == "in-progress")
    time.sleep(0.6)  # about 6 s of talk
    with session_scope() as s:
        browser_calls.hang_up(session=s, member=member_of(uid), call_sid=parent)
    call = wait_for_db(finished(parent))
    rec = wait_for_db(lambda s: s.exec(select(TwilioRecording)).first())
    assert 4 <= call.duration_seconds <= 10, call.duration_seconds  # not 1 s, not 24 s
    assert rec.duration_seconds == call.duration_seconds


def _leg(s, parent: str):
    return s.exec(select(TwilioCall).where(TwilioCall.parent_call_sid == parent)).first()


def test_an_answered_incoming_call_is_recorded_when_asked(line):  # noqa: F811
    uid, mine = line
    with session_scope() as s:
        number = inventory.list_numbers(session=s, member=member_of(uid))[0]
        inventory.set_call_recording(
            session=s, member=member_of(uid), number_id=number.id, enabled=True
        )
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(uid))
    sid = sandbox_device.place_inbound_call(creds, from_="+12125550142", to=mine)
    wait_for_db(lambda s: browser_calls.ringing_calls(session=s, member=member_of(uid)))
    with session_scope() as s:
        browser_calls.answer(session=s, member=member_of(uid), call_sid=sid, accept=True)
    rec = wait_for_db(lambda s: s.exec(select(TwilioRecording)).first())
    call = wait_for_db(
        lambda s: (c := s.exec(select(TwilioCall).where(TwilioCall.call_sid == sid)).one())
        .status == "completed" and c
    )  # fmt: skip
    assert (rec.call_id, rec.is_voicemail) == (call.id, False)
    assert rec.duration_seconds == call.duration_seconds == 5 + 42 % 20
