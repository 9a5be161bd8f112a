"""A number's monthly fee is kept in the unit Twilio prices it in. A purchase retried
while Twilio cannot be reached: the buyer is told Twilio is unavailable, about the number
they asked for, and their earlier claim is kept to be asked about again (it may have
been bought)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from callplatform import config
from callplatform.common.errors import PhoneServiceError
from callplatform.models import NumberStatus
from callplatform.numbers import inventory, pricing
from callplatform.telephony import client
from tests.numbers.test_number_repair import _buy, _row, _state, _user


def test_a_retry_twilio_cannot_answer_is_about_the_number(telephony, monkeypatch):
    ann, _ = _user("ann@example.com")
    phone = inventory.search_numbers(area_code="415")[0].phone_number
    claim = _row(ann, phone, NumberStatus.PENDING, timedelta(seconds=20))  # its answer lost
    pricing.monthly_price(country="US", toll_free=False)  # known: only the purchase is asked
    monkeypatch.setenv("TWILIO_API_BASE_URL", "http://127.0.0.1:9/_sandbox/twilio")
    config.reset_settings()
    client.clear_client_cache()
    with pytest.raises(PhoneServiceError) as err:
        _buy(ann, phone)
    assert (err.value.field, err.value.code) == ("phone_number", "twilio_unavailable")
    assert _state(claim) == (NumberStatus.PENDING, None)


def test_a_numbers_fee_keeps_the_unit_twilio_prices_it_in(telephony, monkeypatch):
    from decimal import Decimal

    from sqlmodel import select

    from callplatform.db import session_scope
    from callplatform.models import CostItem
    from callplatform.telephony.types import NumberPrice

    ann, _ = _user("ann@example.com")
    phone = inventory.search_numbers(area_code="415")[0].phone_number
    euros = NumberPrice(monthly=Decimal("1.15"), unit="EUR")
    monkeypatch.setattr(pricing, "monthly_price", lambda *, country, toll_free: euros)
    row = _buy(ann, phone)
    with session_scope() as s:
        fee = s.exec(select(CostItem)).one()
        assert (row.monthly_price, row.price_unit) == (Decimal("1.15"), "EUR")
        assert (fee.number_id, fee.currency, fee.twilio_cost) == (row.id, "EUR", Decimal("1.15"))
