"""Texts are billed like calls: once a message has gone out (or come in), the sweep
fetches Twilio's price and puts it in the ledger with the markup, once; both sides of a
text pay (Twilio prices inbound texts too), per segment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from callplatform.billing import ledger
from callplatform.config import get_settings
from callplatform.db import session_scope
from callplatform.messaging import pricing
from callplatform.models import CostItem, CostKind, Message
from tests.helpers import personal_workspace, wait_for_db
from tests.messaging.test_conversations import send
from twilio_sandbox import rates


def _messages_costs(uid: int) -> list[CostItem]:
    with session_scope() as s:
        return list(
            s.exec(
                select(CostItem).where(
                    CostItem.workspace_id == personal_workspace(uid),
                    CostItem.kind == CostKind.MESSAGE,
                )
            )
        )


@pytest.mark.parametrize("text, segments", [
    ("x" * 160, 1), ("x" * 161, 2),  # GSM-7: 160 in one, 153 a part
    ("ж" * 70, 1), ("ж" * 71, 2),  # UCS-2: 70 in one, 67 a part
    ("🍜" * 35, 1), ("🍜" * 36, 2),  # an emoji is two UTF-16 units, never split
])  # fmt: skip
def test_each_side_pays_per_segment_once(texters, text, segments):
    (ann, ann_number, _), (bob, _, bob_phone) = texters["ann"], texters["bob"]
    sent = send(ann, ann_number, bob_phone, text)
    assert sent.segments == segments
    wait_for_db(lambda s: s.get(Message, sent.id).status == "delivered")
    wait_for_db(lambda s: s.exec(select(Message).where(Message.direction == "inbound")).first())
    with session_scope() as s:
        pricing.price_messages(session=s, settle=pricing.timedelta(0))
    with session_scope() as s:  # a second round bills nothing again
        assert pricing.price_messages(session=s, settle=pricing.timedelta(0)) == 0
    expected = rates.SMS_PER_SEGMENT * segments
    markup = get_settings().markup_percent
    for uid in (ann, bob):
        (item,) = _messages_costs(uid)
        assert item.twilio_cost == expected
        assert item.charge == ledger.charge_for(expected, markup)
        assert item.charge > item.twilio_cost > Decimal(0)
    with session_scope() as s:
        assert {m.price for m in s.exec(select(Message)).all()} == {expected}
