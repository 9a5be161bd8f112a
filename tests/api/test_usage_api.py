"""The usage API answers what a user pays, exactly, and nothing of Twilio's cost or the
platform's markup (those are the admins')."""

from __future__ import annotations

from decimal import Decimal

import pytest

from callplatform import config
from callplatform.accounts import rate_limit
from tests.api.public_api import buy_first, client_for
from tests.helpers import make_user


@pytest.fixture
def api(telephony):
    config.reset_settings()
    rate_limit.reset()
    make_user("ann@example.com")
    client = client_for(telephony, "ann@example.com")
    yield client
    client.close()
    rate_limit.reset()


def test_usage_is_what_the_user_pays(api):
    buy_first(api)
    usage = api.get("/api/twilio/usage").json()
    assert "twilio_cost" not in usage and "markup" not in usage
    total = Decimal(usage["total"])
    assert total == Decimal("1.38")  # $1.15 + 20%
    for part in ("by_kind", "by_number", "daily"):
        assert sum(Decimal(row["charge"]) for row in usage[part]) == total
