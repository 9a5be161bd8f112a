"""Texts are billed like calls: once a message has gone out (or come in), the sweep
fetches Twilio's price and puts it in the ledger with the markup, once; both sides of a
text pay (Twilio prices inbound texts too), per segment."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import select

from callplatform.billing import ledger
from callplatform.config import get_settings
from callplatform.db import session_scope
from callplatform.messaging import pricing
from callplatform.models import CostItem, CostKind, Message
from tests.helpers import wait_for_db
from tests.messaging.test_conversations import send
from twilio_sandbox import rates


def _messages_costs(uid: int) -> list[CostItem]:
    with session_scope() as s:
        return list(
            s.exec(
                select(CostItem).where(CostItem.user_id == uid, CostItem.kind == CostKind.MESSAGE)
            )
        )


def test_each_side_pays_per_segment_once(texters):
    (ann, ann_number, _), (bob, _, bob_phone) = texters["ann"], texters["bob"]
    long = "x" * 161  # two GSM-7 segments
    sent = send(ann, ann_number, bob_phone, long)
    assert sent.segments == 2
    wait_for_db(lambda s: s.get(Message, sent.id).status == "delivered")
    wait_for_db(lambda s: s.exec(select(Message).where(Message.direction == "inbound")).first())
    with session_scope() as s:
        pricing.price_messages(session=s, settle=pricing.timedelta(0))
    with session_scope() as s:  # a second round bills nothing again
        assert pricing.price_messages(session=s, settle=pricing.timedelta(0)) == 0
    expected = rates.SMS_PER_SEGMENT * 2
    markup = get_settings().markup_percent
    for uid in (ann, bob):
        (item,) = _messages_costs(uid)
        assert item.twilio_cost == expected
        assert item.charge == ledger.charge_for(expected, markup)
        assert item.charge > item.twilio_cost > Decimal(0)
    with session_scope() as s:
        assert {m.price for m in s.exec(select(Message)).all()} == {expected}
