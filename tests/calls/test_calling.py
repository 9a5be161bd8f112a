"""The whole life of calls in the sandbox, over real HTTP and real signed webhooks:
browser calls answered, busy, unanswered and failed; inbound calls answered and missed
to voicemail; prices filled by the reconciliation sweep."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from callplatform import config
from callplatform.accounts import auth
from callplatform.admin import users
from callplatform.callbacks import reconcile
from callplatform.calls import browser_calls, presence
from callplatform.common.errors import ValidationError
from callplatform.db import session_scope
from callplatform.models import (
    ClientPresence,
    CostItem,
    Role,
    TwilioCall,
    TwilioRecording,
    User,
)
from callplatform.numbers import inventory
from callplatform.telephony import gateway, sandbox_device
from callplatform.telephony.errors import TelephonyError
from callplatform.tenancy import subaccounts
from tests.helpers import member_of, personal_workspace, wait_for_db


@pytest.fixture
def line(telephony, monkeypatch):
    """A user with a number, online, and sandbox calls sped up 50x."""
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.02")
    config.reset_settings()
    with session_scope() as s:
        uid = auth.create_user(session=s, email="ann@example.com", password="long enough pw").id
    offer = inventory.search_numbers(area_code="415")[0].phone_number
    with session_scope() as s:
        inventory.buy_number(session=s, member=member_of(uid), phone_number=offer)
        presence.touch(session=s, user_id=uid)
    return uid, offer


def place(uid: int, caller: str, to: str) -> str:
    member = member_of(uid)
    with session_scope() as s:
        placed = browser_calls.start_call(session=s, member=member, caller_id=caller, to=to)
        return placed.call_sid


def finished(parent_sid: str):
    def check(s):
        call = s.exec(select(TwilioCall).where(TwilioCall.parent_call_sid == parent_sid)).first()
        return call if call and call.status in browser_calls.FINAL else None

    return check


@pytest.mark.parametrize(
    ("to", "status", "talk"),
    [
        ("+14155550123", "completed", 5 + 23 % 20),
        ("+14155550101", "busy", None),
        ("+14155550102", "no-answer", None),
        ("+14155550103", "failed", None),
    ],
)
def test_outbound_outcomes(line, to, status, talk):
    uid, mine = line
    call = wait_for_db(finished(place(uid, mine, to)))
    assert (call.status, call.direction, call.from_number, call.to_number) == (
        status,
        "outbound",
        mine,
        to,
    )
    assert call.number_id is not None and call.workspace_id == personal_workspace(uid)
    assert call.handled_by == uid
    if talk:
        assert call.duration_seconds == talk and call.answered_at is not None

    def reconciled(s):
        reconcile.reconcile_calls(session=s)
        # The browser's leg ends a moment after the far end's (its Dial's action is asked
        # first), and is priced then: the sweep asks about it again meanwhile.
        items = s.exec(select(CostItem).where(CostItem.call_id == call.id)).all()
        return len(items) == (2 if talk else 0) or None

    if talk:
        wait_for_db(reconciled)
    with session_scope() as s:
        reconcile.reconcile_calls(session=s)
    with session_scope() as s:
        call = s.get(TwilioCall, call.id)
        expected = Decimal("0.0140") if talk else Decimal("0")
        assert call.price == expected
        if talk:
            items = s.exec(select(CostItem).where(CostItem.call_id == call.id)).all()
            # the number's leg ($0.014/min) and the browser's leg ($0.004/min), +20%
            assert sorted((i.twilio_cost, i.charge) for i in items) == [
                (Decimal("0.004"), Decimal("0.0048")),
                (Decimal("0.014"), Decimal("0.0168")),
            ]


def test_refused_destinations_are_explained_before_dialling(line):
    uid, mine = line
    for to, words in (("+1 900 555 0100", "premium"), ("+44 20 7183 8750", "country")):
        with pytest.raises(ValidationError, match=words):
            place(uid, mine, to)
    with pytest.raises(ValidationError, match="your own numbers"):
        place(uid, "+14155550199", "+14155550123")


def test_recorded_call_has_a_recording(line):
    uid, mine = line
    with session_scope() as s:
        number = inventory.list_numbers(session=s, member=member_of(uid))[0]
        inventory.set_call_recording(
            session=s, member=member_of(uid), number_id=number.id, enabled=True
        )
    parent = place(uid, mine, "+14155550111")
    call = wait_for_db(finished(parent))
    rec = wait_for_db(lambda s: s.exec(select(TwilioRecording)).first())
    assert rec.call_id == call.id and rec.duration_seconds == call.duration_seconds
    assert not rec.is_voicemail


def test_inbound_answered_in_the_browser(line):
    uid, mine = line
    with session_scope() as s:
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(uid))
    sid = sandbox_device.place_inbound_call(creds, from_="+12125550142", to=mine)
    ringing = wait_for_db(lambda s: browser_calls.ringing_calls(session=s, member=member_of(uid)))
    assert ringing[0].call_sid == sid and ringing[0].from_number == "+12125550142"
    with session_scope() as s:
        browser_calls.answer(session=s, member=member_of(uid), call_sid=sid, accept=True)
    call = wait_for_db(
        lambda s: (
            (c := s.exec(select(TwilioCall).where(TwilioCall.call_sid == sid)).one()).status
            == "completed"
            and c
        )
    )
    assert not call.missed and call.duration_seconds == 5 + 42 % 20


def test_inbound_missed_goes_to_voicemail(line):
    uid, mine = line
    with session_scope() as s:
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(uid))
    sid = sandbox_device.place_inbound_call(creds, from_="+12125550142", to=mine)
    wait_for_db(lambda s: browser_calls.ringing_calls(session=s, member=member_of(uid)))
    with session_scope() as s:
        browser_calls.answer(session=s, member=member_of(uid), call_sid=sid, accept=False)
    rec = wait_for_db(lambda s: s.exec(select(TwilioRecording)).first())
    assert rec.is_voicemail
    call = wait_for_db(
        lambda s: (
            (c := s.exec(select(TwilioCall).where(TwilioCall.call_sid == sid)).one()).status
            == "completed"
            and c
        )
    )
    assert call.missed and rec.call_id == call.id
    with session_scope() as s:
        assert browser_calls.ringing_calls(session=s, member=member_of(uid)) == []
        reconcile.reconcile_recordings(session=s)
    with session_scope() as s:
        assert s.get(TwilioRecording, rec.id).price == Decimal("0.0025")


def test_offline_owner_goes_straight_to_voicemail(line):
    uid, mine = line
    with session_scope() as s:
        row = s.get(ClientPresence, uid)  # the last heartbeat was long ago
        row.last_seen_at = row.last_seen_at - timedelta(minutes=5)
        s.add(row)
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(uid))
    sid = sandbox_device.place_inbound_call(creds, from_="+12125550142", to=mine)
    rec = wait_for_db(lambda s: s.exec(select(TwilioRecording)).first())
    assert rec.is_voicemail and rec.call_sid == sid


def test_suspension_stops_calls_both_ways_at_once(line):
    uid, mine = line
    with session_scope() as s:
        admin = auth.create_user(
            session=s, email="root@example.com", password="long enough pw", role=Role.ADMIN
        )
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(uid))
        admin_id = admin.id
    with session_scope() as s:
        users.set_suspended(session=s, actor=s.get(User, admin_id), user_id=uid, suspended=True)
    with pytest.raises(ValidationError, match="suspended"):
        place(uid, mine, "+14155550123")
    with pytest.raises(TelephonyError):  # Twilio refuses calls to a suspended subaccount
        sandbox_device.place_inbound_call(creds, from_="+12125550142", to=mine)
    with session_scope() as s:
        users.set_suspended(session=s, actor=s.get(User, admin_id), user_id=uid, suspended=False)
    assert place(uid, mine, "+14155550123").startswith("CA")


def test_cost_items_add_up_to_twilios_usage_records(line):
    """The ledger explains Twilio's bill: the sum of the user's cost items equals what
    Usage Records report for their subaccount (numbers, both legs of calls, recordings)."""
    uid, mine = line
    with session_scope() as s:
        number = inventory.list_numbers(session=s, member=member_of(uid))[0]
        inventory.set_call_recording(
            session=s, member=member_of(uid), number_id=number.id, enabled=True
        )
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(uid))
    wait_for_db(finished(place(uid, mine, "+14155550177")))
    wait_for_db(finished(place(uid, mine, "+14155550101")))  # busy: no minutes
    inbound = sandbox_device.place_inbound_call(creds, from_="+12125550142", to=mine)
    wait_for_db(lambda s: browser_calls.ringing_calls(session=s, member=member_of(uid)))
    with session_scope() as s:
        browser_calls.answer(session=s, member=member_of(uid), call_sid=inbound, accept=False)
    wait_for_db(
        lambda s: (
            (c := s.exec(select(TwilioCall).where(TwilioCall.call_sid == inbound)).one()).status
            == "completed"
            and c
        )
    )
    wait_for_db(lambda s: len(s.exec(select(TwilioRecording)).all()) == 2)
    time.sleep(0.2)  # the browser legs finish just after the far ends
    with session_scope() as s:
        reconcile.reconcile_calls(session=s)
    with session_scope() as s:
        reconcile.reconcile_recordings(session=s)
    with session_scope() as s:
        ours = sum(
            i.twilio_cost
            for i in s.exec(
                select(CostItem).where(CostItem.workspace_id == personal_workspace(uid))
            )
        )
    today = datetime.now(UTC).date()
    records = gateway.fetch_usage_records(creds, start_date=today, end_date=today)
    theirs = sum(r["price"] for r in records)
    with session_scope() as s:
        ledger = [(i.kind, i.source_key, i.twilio_cost) for i in s.exec(select(CostItem))]
    assert ours == theirs and ours > Decimal("1.15"), (ours, records, ledger)
