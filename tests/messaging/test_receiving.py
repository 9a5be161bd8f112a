"""Inbound texts and status callbacks as the services apply them: stored once per
MessageSid, keywords obeyed (STOP blocks, START lifts, HELP answered), statuses only
move forward, Twilio's 21610 remembered as an opt-out."""

from __future__ import annotations

import pytest
from sqlmodel import select

from callplatform.db import session_scope
from callplatform.messaging import receiving
from callplatform.models import Conversation, Message, OptOut, TwilioSubaccount, UserPhoneNumber
from callplatform.tenancy import crypto
from callplatform.workspaces import membership
from tests.helpers import make_user

ACCOUNT, OURS, THEIRS = "AC" + "7" * 32, "+14155550100", "+12125550123"


@pytest.fixture
def number(db_url):
    uid = make_user("ann@example.com")
    with session_scope() as s:
        workspace = membership.personal_workspace_id(session=s, user_id=uid)
        s.add(TwilioSubaccount(user_id=uid, workspace_id=workspace, account_sid=ACCOUNT,
                               auth_token_encrypted=crypto.encrypt("f" * 32)))  # fmt: skip
        row = UserPhoneNumber(user_id=uid, workspace_id=workspace, phone_number=OURS)
        s.add(row)
        s.flush()
        return row.id


def inbound(body: str, sid: str = "SM" + "1" * 32, **extra) -> str | None:
    params = {"AccountSid": ACCOUNT, "MessageSid": sid, "From": THEIRS, "To": OURS,
              "Body": body, **extra}  # fmt: skip
    with session_scope() as s:
        return receiving.receive(session=s, params=params)


def status(sid: str, value: str, code: str = "") -> None:
    params = {"AccountSid": ACCOUNT, "MessageSid": sid, "MessageStatus": value, "ErrorCode": code}
    with session_scope() as s:
        receiving.apply_status(session=s, params=params)


def test_an_inbound_text_is_stored_once_with_its_media(number):
    media = {"NumMedia": "2", "MediaUrl0": "https://api.twilio.com/m/ME1",
             "MediaContentType0": "image/jpeg", "MediaUrl1": "javascript:alert(1)"}  # fmt: skip
    assert inbound("Are you open?", **media) is None
    assert inbound("Are you open?", **media) is None  # Twilio retried
    with session_scope() as s:
        (message,) = s.exec(select(Message)).all()
        assert (message.body, message.status, message.media_count) == (
            "Are you open?",
            "received",
            1,
        )
        (thread,) = s.exec(select(Conversation)).all()
        assert (thread.other_party, thread.unread, thread.number_id) == (THEIRS, 1, number)


def test_keywords_stop_start_and_help(number):
    inbound(" Stop. ", sid="SM" + "1" * 32)
    with session_scope() as s:
        assert s.get(OptOut, (number, THEIRS)) is not None
    inbound("start", sid="SM" + "2" * 32)
    with session_scope() as s:
        assert s.get(OptOut, (number, THEIRS)) is None
    assert "STOP" in inbound("HELP", sid="SM" + "3" * 32)
    inbound("please stop texting me", sid="SM" + "4" * 32)  # not the keyword alone
    with session_scope() as s:
        assert s.get(OptOut, (number, THEIRS)) is None


def _outbound(number_id: int, sid: str) -> None:
    with session_scope() as s:
        workspace = s.get(UserPhoneNumber, number_id).workspace_id
        thread = Conversation(workspace_id=workspace, number_id=number_id, other_party=THEIRS)
        s.add(thread)
        s.flush()
        s.add(Message(workspace_id=thread.workspace_id, conversation_id=thread.id,
                      number_id=number_id, direction="outbound", message_sid=sid,
                      from_number=OURS, to_number=THEIRS, status="queued"))  # fmt: skip


def _status_of(sid: str) -> tuple[str, int | None]:
    with session_scope() as s:
        m = s.exec(select(Message).where(Message.message_sid == sid)).one()
        return m.status, m.error_code


@pytest.mark.parametrize("order, final", [
    (["sending", "sent", "delivered"], "delivered"),
    (["delivered", "sent", "sending", "queued"], "delivered"),  # late callbacks
    (["sent", "sending"], "sent"),
    (["undelivered", "delivered"], "undelivered"),
    (["failed", "sent"], "failed"),
    (["sent", "nonsense"], "sent"),
])  # fmt: skip
def test_statuses_only_move_forward(number, order, final):
    sid = "SM" + "9" * 32
    _outbound(number, sid)
    for value in order:
        status(sid, value)
    assert _status_of(sid)[0] == final


def test_twilios_opt_out_refusal_is_remembered(number):
    sid = "SM" + "8" * 32
    _outbound(number, sid)
    status(sid, "failed", "21610")
    assert _status_of(sid) == ("failed", 21610)
    with session_scope() as s:
        assert s.get(OptOut, (number, THEIRS)) is not None
