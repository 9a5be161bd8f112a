"""Two texters in the sandbox: Ann and Bob, each with a number of their own."""

from __future__ import annotations

import pytest

from callplatform import config
from callplatform.accounts import auth, rate_limit
from callplatform.db import session_scope
from callplatform.numbers import inventory
from tests.helpers import member_of


@pytest.fixture
def texters(telephony, monkeypatch):
    """Ann and Bob, each with a number of their own; sandbox messages sped up."""
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.02")
    config.reset_settings()
    rate_limit.reset()  # texts per workspace per minute: earlier tests' don't count here
    people = {}
    for name, area in (("ann", "415"), ("bob", "212")):
        with session_scope() as s:
            uid = auth.create_user(
                session=s, email=f"{name}@example.com", password="long enough pw"
            ).id
        offer = inventory.search_numbers(area_code=area)[0].phone_number
        with session_scope() as s:
            row = inventory.buy_number(session=s, member=member_of(uid), phone_number=offer)
            people[name] = (uid, row.id, row.phone_number)
    return people
