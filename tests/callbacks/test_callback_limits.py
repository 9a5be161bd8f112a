"""What a callback may carry beyond its columns: over-long values are cut to the column
(PostgreSQL refuses longer ones, and a refused callback is retried by Twilio for ever),
so the call, its recording and their raw events are still kept, each raw event under
the kind of callback it was."""

from __future__ import annotations

import secrets

import pytest
from sqlmodel import select

from callplatform.accounts import auth
from callplatform.callbacks import call_status, recording_status
from callplatform.db import get_engine, session_scope
from callplatform.models import TwilioCall, TwilioRecording, TwilioSubaccount, WebhookEvent
from callplatform.tenancy import crypto
from callplatform.workspaces import membership

LONG_SID = "CA" + "7" * 198  # its event key runs past the column's 200 characters


@pytest.fixture
def account(sqlite_db) -> str:
    with session_scope() as s:
        user = auth.create_user(session=s, email="ann@example.com", password="long enough pw")
        account = "AC" + secrets.token_hex(16)
        workspace = membership.personal_workspace_id(session=s, user_id=user.id)
        s.add(TwilioSubaccount(user_id=user.id, workspace_id=workspace, account_sid=account,
                               auth_token_encrypted=crypto.encrypt("t" * 32)))  # fmt: skip
    return account


def test_over_long_values_are_cut_to_their_columns(account):
    params = {"AccountSid": account, "CallSid": LONG_SID, "CallStatus": "ringing",
              "SequenceNumber": "1", "From": "+1" + "4" * 80, "To": "+1" + "2" * 80}  # fmt: skip
    with get_engine().begin() as connection:
        assert call_status.apply_status_callback(session=connection, params=params)
    with session_scope() as s:
        rec = recording_status.apply_recording_callback(
            session=s, params={"AccountSid": account, "CallSid": LONG_SID,
                               "RecordingSid": "RE" + "5" * 40, "RecordingStatus": "x" * 40},
        )  # fmt: skip
        assert rec is not None
    with session_scope() as s:
        call = s.exec(select(TwilioCall)).one()
        assert (call.call_sid, call.from_number, call.to_number) == (
            LONG_SID[:34], params["From"][:64], params["To"][:64])  # fmt: skip
        rec = s.exec(select(TwilioRecording)).one()
        assert (rec.call_sid, rec.status) == (LONG_SID[:34], "x" * 16)
        events = s.exec(select(WebhookEvent).order_by(WebhookEvent.id)).all()
        assert [(e.kind, len(e.dedupe_key), e.resource_sid) for e in events] == [
            ("status", 200, LONG_SID[:34]),
            ("recording", len(f"recording:{account}:RE{'5' * 40}:{'x' * 40}"), "RE" + "5" * 32),
        ]
