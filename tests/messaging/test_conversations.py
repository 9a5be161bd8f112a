"""Texting through the sandbox, over real HTTP and real signed webhooks: a text from
Ann's number reaches Bob's as an inbound message in his inbox (and Ann's copy is
delivered), a reply threads, STOP blocks the next send before Twilio is asked and START
lifts it; each sees only their own threads."""

from __future__ import annotations

import pytest
from sqlmodel import select

from callplatform.common.errors import NotFound, ValidationError
from callplatform.db import session_scope
from callplatform.messaging import sending, threads
from callplatform.models import Conversation, Message, User
from callplatform.workspaces import access, membership
from tests.helpers import personal_workspace, wait_for_db


def member_of(uid: int) -> access.Member:
    with session_scope() as s:
        workspace = membership.personal_workspace_id(session=s, user_id=uid)
        return access.acting_member(session=s, user_id=uid, workspace_id=workspace)


def send(uid: int, number_id: int, to: str, body: str, attachments=()) -> Message:
    with session_scope() as s:
        return sending.send_message(
            session=s, member=member_of(uid), user=s.get(User, uid), number_id=number_id,
            to=to, body=body, attachments=attachments,
        )  # fmt: skip


def inbox(uid: int) -> list[Conversation]:
    with session_scope() as s:
        return threads.list_conversations(session=s, member=member_of(uid))


def thread(uid: int, conversation_id: int) -> list[tuple[str, str, str]]:
    with session_scope() as s:
        rows = threads.messages_of(
            session=s, member=member_of(uid), conversation_id=conversation_id
        )
        return [(m.direction, m.body, m.status) for m in rows]


def test_a_text_reaches_the_other_number_and_a_reply_threads(texters):
    (ann, ann_number, ann_phone), (bob, bob_number, bob_phone) = texters["ann"], texters["bob"]
    sent = send(ann, ann_number, bob_phone, "Hello Bob 👋")
    assert sent.message_sid and sent.segments == 1 and sent.direction == "outbound"
    wait_for_db(lambda s: s.get(Message, sent.id).status == "delivered")
    bobs = wait_for_db(lambda s: inbox(bob))
    assert [(c.other_party, c.unread, c.last_preview) for c in bobs] == [
        (ann_phone, 1, "Hello Bob 👋")
    ]
    assert thread(bob, bobs[0].id) == [("inbound", "Hello Bob 👋", "received")]
    send(bob, bob_number, ann_phone, "Hi Ann")
    wait_for_db(lambda s: len(thread(ann, inbox(ann)[0].id)) == 2)
    assert thread(ann, inbox(ann)[0].id) == [
        ("outbound", "Hello Bob 👋", "delivered"), ("inbound", "Hi Ann", "received")]  # fmt: skip
    # Reading the thread clears its unread count.
    with session_scope() as s:
        threads.mark_read(session=s, member=member_of(bob), conversation_id=bobs[0].id)
    assert inbox(bob)[0].unread == 0
    # Neither sees the other's threads, nor sends from the other's number.
    with pytest.raises(NotFound), session_scope() as s:
        threads.messages_of(session=s, member=member_of(ann), conversation_id=bobs[0].id)
    with pytest.raises(NotFound):
        send(ann, bob_number, ann_phone, "spoofed")


def test_stop_blocks_the_next_send_until_start(texters):
    (ann, ann_number, ann_phone), (bob, bob_number, bob_phone) = texters["ann"], texters["bob"]
    send(ann, ann_number, bob_phone, "Sale today!")
    wait_for_db(lambda s: inbox(bob))
    send(bob, bob_number, ann_phone, "stop")
    wait_for_db(lambda s: s.get(sending.OptOut, (ann_number, bob_phone)) is not None)
    with session_scope() as s:
        before = len(s.exec(select(Message)).all())
    with pytest.raises(ValidationError, match="STOP"):
        send(ann, ann_number, bob_phone, "One more sale!")
    with session_scope() as s:
        assert len(s.exec(select(Message)).all()) == before  # nothing stored, nothing sent
    send(bob, bob_number, ann_phone, "START")
    wait_for_db(lambda s: s.get(sending.OptOut, (ann_number, bob_phone)) is None)
    assert send(ann, ann_number, bob_phone, "Welcome back").message_sid


@pytest.mark.parametrize(
    "to, body, message",
    [
        ("+19005550100", "hi", "premium-rate"),
        ("+442071838750", "hi", "country"),
        ("+12125550123", "", "Write a message"),
        ("+12125550123", "x" * 1601, "at most 1600"),
        ("+12125550123", "bad\x00char", "can't be sent"),
        ("not a number", "hi", "."),
    ],
)
def test_bad_sends_are_refused_with_a_reason_and_store_nothing(texters, to, body, message):
    ann, ann_number, _ = texters["ann"]
    with pytest.raises(ValidationError, match=message):
        send(ann, ann_number, to, body)
    with session_scope() as s:
        assert s.exec(select(Message)).all() == []


def test_texts_go_out_through_the_accounts_messaging_service(texters):
    """One service per subaccount, made on the first text; each number joins its pool
    once; the message says which service sent it."""
    from callplatform.models import TwilioSubaccount, UserPhoneNumber
    from callplatform.telephony import gateway
    from callplatform.tenancy import subaccounts

    (ann, ann_number, _), (_, _, bob_phone) = texters["ann"], texters["bob"]
    first = send(ann, ann_number, bob_phone, "one")
    second = send(ann, ann_number, bob_phone, "two")
    with session_scope() as s:
        account = s.exec(select(TwilioSubaccount).where(TwilioSubaccount.user_id == ann)).one()
        assert account.messaging_service_sid.startswith("MG")
        assert (
            s.get(UserPhoneNumber, ann_number).messaging_service_sid
            == account.messaging_service_sid
        )
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(ann))
    for sent in (first, second):
        info = gateway.fetch_message(creds, sid=sent.message_sid)
        assert info.messaging_service_sid == account.messaging_service_sid


@pytest.mark.parametrize("phone, sms, needs", [
    ("+14155550100", True, "A2P 10DLC"),
    ("+18885550100", True, "toll-free verification"),
    ("+16475550100", True, ""),  # Canada: nothing to register
    ("+14155550100", False, "can't send texts"),
])  # fmt: skip
def test_what_a_number_needs_to_text_the_us(phone, sms, needs):
    from callplatform.messaging import senders
    from callplatform.models import UserPhoneNumber

    row = UserPhoneNumber(user_id=1, workspace_id=1, phone_number=phone, sms_capable=sms)
    said = senders.us_texting_needs(row)
    assert (needs in said) if needs else said == ""
