"""Recording callbacks: each recording kept once, tied to its call (or the call whose
browser leg Twilio names), its status and duration as Twilio last said, a voicemail
staying a voicemail; only the signer's (workspace's) own recordings and calls."""

from __future__ import annotations

import secrets

import pytest
from sqlmodel import select

from callplatform.accounts import auth
from callplatform.callbacks import recording_status
from callplatform.db import session_scope
from callplatform.models import TwilioCall, TwilioRecording, TwilioSubaccount, WebhookEvent
from callplatform.tenancy import crypto
from callplatform.workspaces import membership


def _tenant(s, email: str) -> dict:
    user = auth.create_user(session=s, email=email, password="long enough pw")
    account = "AC" + secrets.token_hex(16)
    workspace = membership.personal_workspace_id(session=s, user_id=user.id)
    s.add(TwilioSubaccount(user_id=user.id, workspace_id=workspace, account_sid=account,
                           auth_token_encrypted=crypto.encrypt("t" * 32)))  # fmt: skip
    call = TwilioCall(workspace_id=workspace, handled_by=user.id,
                      call_sid="CA" + secrets.token_hex(16),
                      parent_call_sid="CA" + secrets.token_hex(16), direction="outbound",
                      from_number="+14155550100", to_number="+12125550123")  # fmt: skip
    s.add(call)
    s.flush()
    return {"workspace": workspace, "account": account, "call": call.id, "sid": call.call_sid,
            "parent": call.parent_call_sid}  # fmt: skip


@pytest.fixture
def tenants(db_url):
    with session_scope() as s:
        return _tenant(s, "ann@example.com"), _tenant(s, "bob@example.com")


def apply(who: dict, call_sid: str, rec_sid: str, voicemail=False, **params):
    with session_scope() as s:
        rec = recording_status.apply_recording_callback(
            session=s, voicemail=voicemail,
            params={"AccountSid": who["account"], "CallSid": call_sid, "RecordingSid": rec_sid,
                    **params},
        )  # fmt: skip
        s.flush()
        return None if rec is None else (rec.id, rec.workspace_id, rec.call_id)


def recording(rec_sid: str) -> TwilioRecording | None:
    with session_scope() as s:
        return s.exec(
            select(TwilioRecording).where(TwilioRecording.recording_sid == rec_sid)
        ).first()


def test_a_recording_is_tied_to_its_call_or_the_call_its_leg_belongs_to(tenants):
    ann, _ = tenants
    for call_sid in (ann["sid"], ann["parent"]):
        rec_sid = "RE" + secrets.token_hex(16)
        got = apply(ann, call_sid, rec_sid, RecordingStatus="completed", RecordingDuration="31")
        rec = recording(rec_sid)
        assert got == (rec.id, ann["workspace"], ann["call"])
        assert (rec.call_sid, rec.status, rec.duration_seconds, rec.is_voicemail) == (
            call_sid, "completed", 31, False)  # fmt: skip


def test_status_and_duration_follow_twilio_and_a_voicemail_stays_one(tenants):
    ann, _ = tenants
    rec_sid = "RE" + secrets.token_hex(16)
    apply(ann, ann["sid"], rec_sid, voicemail=True, RecordingStatus="in-progress")
    rec = recording(rec_sid)
    assert (rec.status, rec.duration_seconds, rec.is_voicemail) == ("in-progress", 0, True)
    apply(ann, ann["sid"], rec_sid, RecordingStatus="completed", RecordingDuration="12")
    rec = recording(rec_sid)
    assert (rec.status, rec.duration_seconds, rec.is_voicemail) == ("completed", 12, True)
    apply(ann, ann["sid"], rec_sid, RecordingStatus="absent", RecordingDuration="n/a")
    rec = recording(rec_sid)
    assert (rec.status, rec.duration_seconds) == ("absent", 12)
    with session_scope() as s:
        assert len(s.exec(select(TwilioRecording)).all()) == 1


def test_a_recording_without_status_keeps_its_own(tenants):
    ann, _ = tenants
    rec_sid = "RE" + secrets.token_hex(16)
    apply(ann, ann["sid"], rec_sid, RecordingStatus="completed")
    apply(ann, "CA" + secrets.token_hex(16), rec_sid)  # its call unknown now: it is detached
    rec = recording(rec_sid)
    assert (rec.status, rec.call_id) == ("completed", None)


def test_repeats_and_what_is_not_a_recording_change_nothing(tenants):
    ann, _ = tenants
    rec_sid = "RE" + secrets.token_hex(16)
    assert apply(ann, ann["sid"], rec_sid, RecordingStatus="completed") is not None
    assert apply(ann, ann["sid"], rec_sid, RecordingStatus="completed") is None  # a retry
    assert apply(ann, ann["sid"], "XX" + secrets.token_hex(16)) is None
    assert apply(ann, ann["sid"], "") is None
    stranger = {**ann, "account": "AC" + secrets.token_hex(16)}
    assert apply(stranger, ann["sid"], "RE" + secrets.token_hex(16)) is None
    with session_scope() as s:
        assert len(s.exec(select(TwilioRecording)).all()) == 1
        keys = s.exec(select(WebhookEvent.dedupe_key).order_by(WebhookEvent.id)).all()
    assert keys[0] == f"recording:{ann['account']}:{rec_sid}:completed" and len(keys) == 2


def test_another_tenant_neither_moves_nor_attaches(tenants):
    ann, bob = tenants
    rec_sid = "RE" + secrets.token_hex(16)
    apply(ann, ann["sid"], rec_sid, RecordingStatus="completed", RecordingDuration="5")
    assert apply(bob, bob["sid"], rec_sid, RecordingStatus="deleted") is None
    assert (recording(rec_sid).status, recording(rec_sid).call_id) == ("completed", ann["call"])
    bobs = "RE" + secrets.token_hex(16)
    assert apply(bob, ann["sid"], bobs, RecordingStatus="completed")[1:] == (bob["workspace"], None)
    assert apply(bob, ann["parent"], "RE" + secrets.token_hex(16))[1:] == (bob["workspace"], None)


def test_a_callback_missing_its_sids_is_not_a_recording(tenants):
    ann, _ = tenants
    with session_scope() as s:
        for params in ({"AccountSid": ann["account"], "CallSid": ann["sid"]},
                       {"CallSid": ann["sid"], "RecordingSid": "RE" + secrets.token_hex(16)}):  # fmt: skip
            assert recording_status.apply_recording_callback(session=s, params=params) is None
    rec_sid = "RE" + secrets.token_hex(16)
    with session_scope() as s:  # no CallSid: kept, tied to no call
        params = {"AccountSid": ann["account"], "RecordingSid": rec_sid}
        rec = recording_status.apply_recording_callback(session=s, params=params)
        assert (rec.call_sid, rec.call_id, rec.workspace_id) == ("", None, ann["workspace"])
