"""The call state machine, fed status callbacks as Twilio sends them: every order of a
call's callbacks, for every final status, ends in the same row; a final status is never
left; only an answered call is answered; the row is the signer's workspace's own."""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlmodel import select

from callplatform.accounts import auth
from callplatform.callbacks import call_status
from callplatform.db import get_engine, session_scope
from callplatform.models import (
    NumberStatus,
    TwilioCall,
    TwilioSubaccount,
    UserPhoneNumber,
    WebhookEvent,
)
from callplatform.models.base import utcnow
from callplatform.tenancy import crypto
from callplatform.workspaces import membership

FINALS = ["busy", "canceled", "completed", "failed", "no-answer"]
T0 = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
MINE, FAR = "+14155550100", "+12125550123"


def at(seconds: int) -> str:
    return format_datetime(T0 + timedelta(seconds=seconds))  # Twilio's RFC 2822 Timestamp


@pytest.fixture
def ann(db_url):
    """A user with a subaccount and a number; returns a callback builder."""
    account = "AC" + secrets.token_hex(16)
    with session_scope() as s:
        user = auth.create_user(session=s, email="ann@example.com", password="long enough pw")
        workspace = membership.personal_workspace_id(session=s, user_id=user.id)
        s.add(TwilioSubaccount(user_id=user.id, workspace_id=workspace, account_sid=account,
                               auth_token_encrypted=crypto.encrypt("t" * 32)))  # fmt: skip
        number = UserPhoneNumber(user_id=user.id, workspace_id=workspace, phone_number=MINE)
        s.add(number)
        s.flush()
        ids = {"user": user.id, "workspace": workspace, "number": number.id, "account": account}

    def callback(sid, seq, status, **extra):
        return {"AccountSid": account, "CallSid": sid, "From": MINE, "To": FAR,
                "Direction": "outbound-api", "CallStatus": status, "SequenceNumber": str(seq),
                "Timestamp": at(seq), **extra}  # fmt: skip

    return ids, callback


def apply(params):
    with get_engine().begin() as connection:  # as the webhook does: a plain connection
        return call_status.apply_status_callback(session=connection, params=params)


def row(sid: str) -> TwilioCall | None:
    with session_scope() as s:
        return s.exec(select(TwilioCall).where(TwilioCall.call_sid == sid)).first()


def life(callback, sid: str, final: str) -> list[dict]:
    """A call's callbacks in Twilio's order; only a completed call was answered."""
    steps = ["initiated", "ringing", *(["in-progress"] if final == "completed" else []), final]
    out = [callback(sid, seq, status) for seq, status in enumerate(steps)]
    out[-1]["CallDuration"] = "42" if final == "completed" else "0"
    return out


@pytest.mark.parametrize("final", FINALS)
def test_every_order_of_the_callbacks_ends_the_same(ann, final):
    ids, callback = ann
    for n, order in enumerate(itertools.permutations(life(callback, "", final))):
        sid = f"CA{final[:4]}{n:028d}"
        for params in order:
            assert apply({**params, "CallSid": sid}) == row(sid).id
        call, last = row(sid), len(order) - 1
        answered = final == "completed"
        assert (call.status, call.last_sequence, call.ended_at) == (final, last, T0 + timedelta(
            seconds=last)), order  # fmt: skip
        assert call.answered_at == (T0 + timedelta(seconds=2) if answered else None), order
        assert call.duration_seconds == (42 if answered else 0)
        assert (call.workspace_id, call.number_id, call.direction, call.missed) == (
            ids["workspace"], ids["number"], "outbound", False)  # fmt: skip
        assert call.handled_by is None  # the callback names no member
        assert (call.from_number, call.to_number, call.price_unit) == (MINE, FAR, "USD")
        for params in order:  # every retry is absorbed and changes nothing
            assert apply({**params, "CallSid": sid}) is None
        assert row(sid).model_dump() == call.model_dump()


@pytest.mark.parametrize("final", FINALS)
def test_a_final_status_is_never_left(ann, final):
    _, callback = ann
    sid = "CA" + secrets.token_hex(16)
    apply(callback(sid, 1, "ringing"))
    apply(callback(sid, 2, final, CallDuration="7"))
    before = row(sid)
    for seq, status in enumerate(["queued", "initiated", "ringing", "in-progress", *FINALS], 3):
        apply(callback(sid, seq, status, CallDuration="7" if status == final else "99"))
    after = row(sid)
    assert (after.status, after.ended_at, after.duration_seconds) == (final, T0 + timedelta(
        seconds=2), 7)  # fmt: skip
    assert after.last_sequence == before.last_sequence == 2
    # A late "in-progress" still dates the answer (it happened), without reopening the call.
    assert after.answered_at == T0 + timedelta(seconds=6)


def test_within_a_status_the_sequence_moves_forward_only(ann):
    _, callback = ann
    sid = "CA" + secrets.token_hex(16)
    apply(callback(sid, 4, "ringing"))
    apply(callback(sid, 2, "ringing"))
    assert (row(sid).status, row(sid).last_sequence) == ("ringing", 4)
    apply(callback(sid, 1, "in-progress"))  # a higher rank moves on whatever its number
    assert (row(sid).status, row(sid).last_sequence) == ("in-progress", 4)
    apply(callback(sid, 6, "in-progress"))
    assert row(sid).last_sequence == 6
    apply(callback(sid, 5, "ringing"))  # a lower rank never moves back
    assert (row(sid).status, row(sid).last_sequence) == ("in-progress", 6)
    apply(callback(sid, 0, "initiated"))
    apply(callback(sid, 7, "queued"))
    assert row(sid).status == "in-progress" and row(sid).ended_at is None


def test_statuses_open_and_rank_in_twilios_order(ann):
    _, callback = ann
    order = ["queued", "initiated", "ringing", "in-progress"]
    for n, status in enumerate(order):
        sid = f"CA{n:032d}"
        apply(callback(sid, 0, status))  # the call opens in the status it is in
        assert (row(sid).status, row(sid).ended_at, row(sid).missed) == (status, None, False)
        for later in order[n + 1 :]:
            apply(callback(sid, 0, later))
            assert row(sid).status == later
        assert row(sid).answered_at == T0  # in-progress came, last or first


def test_only_a_call_that_was_in_progress_is_answered(ann):
    _, callback = ann
    for final in FINALS:
        sid = "CA" + secrets.token_hex(16)
        apply(callback(sid, 0, "ringing"))
        apply(callback(sid, 1, final))
        assert row(sid).answered_at is None, final
    sid = "CA" + secrets.token_hex(16)
    apply(callback(sid, 0, "in-progress"))
    assert row(sid).answered_at == T0


def test_what_is_not_a_call_changes_nothing(ann):
    ids, callback = ann
    sid = "CA" + secrets.token_hex(16)
    assert apply(callback(sid, 0, "answered")) is None  # not a call status
    assert apply({**callback(sid, 0, "ringing"), "CallSid": ""}) is None
    assert apply({k: v for k, v in callback(sid, 0, "ringing").items() if k != "CallSid"}) is None
    browser = callback(sid, 0, "ringing", From=f"client:user-{ids['user']}")
    assert apply(browser) is None  # the browser's own leg: its far end is the call we log
    assert apply(callback(sid, 1, "initiated", From=f"client:user-{ids['user']}")) is None
    stranger = {**callback(sid, 2, "ringing"), "AccountSid": "AC" + secrets.token_hex(16)}
    assert apply(stranger) is None
    assert apply({**stranger, "CallStatus": "initiated"}) is None
    assert row(sid) is None
    with session_scope() as s:
        kinds = s.exec(select(WebhookEvent.kind)).all()
    assert kinds == ["status"] * 4  # the browser's two and the stranger's two, kept raw


def test_an_inbound_call_belongs_to_the_number_called(ann):
    ids, callback = ann
    sid = "CA" + secrets.token_hex(16)
    apply(callback(sid, 0, "ringing", Direction="inbound", From=FAR, To=MINE,
                   ParentCallSid="CA" + "9" * 32))  # fmt: skip
    call = row(sid)
    assert (call.direction, call.from_number, call.to_number) == ("inbound", FAR, MINE)
    assert (call.number_id, call.parent_call_sid) == (ids["number"], "CA" + "9" * 32)


def test_a_call_is_tied_only_to_the_users_own_bought_number(ann):
    ids, callback = ann
    with session_scope() as s:
        bob = auth.create_user(session=s, email="bob@example.com", password="long enough pw")
        bobs = membership.personal_workspace_id(session=s, user_id=bob.id)
        s.add(UserPhoneNumber(user_id=bob.id, workspace_id=bobs, phone_number="+14155550111"))
        s.add(UserPhoneNumber(user_id=ids["user"], workspace_id=ids["workspace"],
                              phone_number="+14155550122",
                              status=NumberStatus.PENDING))  # fmt: skip
    for phone in ("+14155550111", "+14155550122"):
        sid = "CA" + secrets.token_hex(16)
        apply(callback(sid, 0, "initiated", From=phone))
        call = row(sid)
        assert (call.workspace_id, call.number_id, call.from_number) == (
            ids["workspace"], None, phone)  # fmt: skip


def test_odd_fields_are_read_safely(ann):
    _, callback = ann
    sid = "CA" + secrets.token_hex(16)
    apply({**callback(sid, 0, "ringing"), "SequenceNumber": "x", "Timestamp": "yesterday"})
    assert row(sid).last_sequence == -1
    before = utcnow()
    apply({**callback(sid, 1, "completed", CallDuration="n/a"), "Timestamp": "garbage"})
    call = row(sid)
    assert call.duration_seconds is None and call.status == "completed"
    assert before - timedelta(seconds=5) < call.ended_at.replace(tzinfo=UTC) <= utcnow()
    assert call.started_at.replace(tzinfo=UTC) < call.ended_at.replace(tzinfo=UTC)


def test_raw_events_are_kept_once_per_account_sequence_and_status(ann):
    _, callback = ann
    sid = "CA" + secrets.token_hex(16)
    params = callback(sid, 3, "ringing")
    apply(params)
    apply(params)
    apply({**params, "SequenceNumber": "4"})
    apply({**params, "CallStatus": "in-progress"})
    with session_scope() as s:
        events = s.exec(select(WebhookEvent).order_by(WebhookEvent.id)).all()
    assert [(e.kind, e.resource_sid, e.payload["SequenceNumber"], e.payload["CallStatus"])
            for e in events] == [("status", sid, "3", "ringing"), ("status", sid, "4", "ringing"),
                                 ("status", sid, "3", "in-progress")]  # fmt: skip
    assert events[0].dedupe_key == f"status:{params['AccountSid']}:{sid}:3:ringing"


def test_a_repeated_final_status_still_brings_its_duration(ann):
    _, callback = ann
    sid = "CA" + secrets.token_hex(16)
    apply(callback(sid, 3, "completed"))  # the first "completed" came without a duration
    apply(callback(sid, 4, "completed", CallDuration="42"))
    apply(callback(sid, 5, "busy", CallDuration="7"))  # another final status: ignored
    call = row(sid)
    assert (call.status, call.duration_seconds, call.last_sequence) == ("completed", 42, 3)


def test_a_call_starts_when_its_first_callback_says(ann):
    _, callback = ann
    sid = "CA" + secrets.token_hex(16)
    apply(callback(sid, 4, "ringing"))
    apply(callback(sid, 1, "initiated"))
    assert row(sid).started_at.replace(tzinfo=UTC) == T0 + timedelta(seconds=4)


def test_a_callback_with_only_the_required_fields_is_applied(ann):
    ids, callback = ann
    sid = "CA" + secrets.token_hex(16)
    bare = {"AccountSid": ids["account"], "CallSid": sid, "CallStatus": "ringing"}
    before = utcnow()
    assert apply(bare) == row(sid).id
    call = row(sid)
    assert (call.status, call.last_sequence, call.direction) == ("ringing", -1, "outbound")
    assert (call.from_number, call.to_number, call.number_id, call.parent_call_sid) == (
        "", "", None, None)  # fmt: skip
    assert before - timedelta(seconds=5) < call.started_at.replace(tzinfo=UTC) <= utcnow()
    apply({**bare, "CallStatus": "completed"})
    assert (row(sid).status, row(sid).duration_seconds) == ("completed", None)
    assert row(sid).ended_at is not None


def test_a_queued_callback_without_a_sequence_opens_the_call_queued(ann):
    ids, _ = ann
    sid = "CA" + secrets.token_hex(16)
    bare = {"AccountSid": ids["account"], "CallSid": sid, "CallStatus": "queued"}
    assert apply(bare) == row(sid).id
    call = row(sid)
    assert (call.status, call.last_sequence, call.missed, call.price_unit) == (
        "queued", -1, False, "USD")  # fmt: skip
    apply({**bare, "SequenceNumber": "0"})
    assert (row(sid).status, row(sid).last_sequence) == ("queued", 0)


@pytest.mark.parametrize("first", ["initiated", "completed"])
def test_the_caller_named_in_the_url_counts_only_if_a_member(ann, first):
    """Who placed a call travels in the status callback's URL: kept when they are a
    member of the signing workspace, whichever callback creates the row; anyone else's
    id is dropped (the row is the workspace's, handled by nobody)."""
    ids, callback = ann
    with session_scope() as s:
        outsider = auth.create_user(session=s, email="oz@example.com", password="long enough pw")
    for who, expected in ((ids["user"], ids["user"]), (outsider.id, None)):
        sid = "CA" + secrets.token_hex(16)
        with session_scope() as s:
            call_status.apply_status_callback(
                session=s, params=callback(sid, 0, first), handled_by=who
            )
        with session_scope() as s:
            row = s.exec(select(TwilioCall).where(TwilioCall.call_sid == sid)).one()
            assert (row.workspace_id, row.handled_by) == (ids["workspace"], expected)
