"""When Twilio fails, the pages say so in words (the same sentences as the API) instead
of failing: the Numbers page's search, buy, rename and release, and the dialer. Twilio
is a real HTTP server on loopback in front of the sandbox (tests/failing_twilio.py);
handlers run in-process as a client calls them. Nothing is left written."""

from __future__ import annotations

import pytest

from callplatform.accounts import auth, rate_limit
from callplatform.db import session_scope
from callplatform.numbers import inventory, pricing
from callplatform.pages.numbers.state import NumbersState
from callplatform.state.softphone import SoftphoneState
from callplatform.telephony import client
from tests.api.twilio_failures_fixtures import point_twilio_at, snapshot
from tests.failing_twilio import FailingTwilio
from tests.helpers import member_of
from tests.state.harness import call, login_token, state_for

PASSWORD = "long enough pw"


@pytest.fixture
def ui(db_url, live_api, monkeypatch):
    """(FailingTwilio, a session token of a user who owns a number), SQLite then
    PostgreSQL."""
    with FailingTwilio(upstream_port=int(live_api.rsplit(":", 1)[1])) as failing:
        point_twilio_at(monkeypatch, failing.base_url, live_api)
        with session_scope() as s:
            ann = auth.create_user(session=s, email="ann@example.com", password=PASSWORD).id
        offer = inventory.search_numbers(area_code="415")[0].phone_number
        with session_scope() as s:
            inventory.buy_number(session=s, member=member_of(ann), phone_number=offer)
        yield failing, login_token("ann@example.com", PASSWORD)
    client.clear_client_cache()
    pricing.clear_cache()
    rate_limit.reset()


def _said(out, words: str) -> bool:
    return any(words in repr(item) for item in out)


def test_numbers_page_explains_twilio_failures(ui):
    failing, token = ui
    before = snapshot()
    page = state_for(NumbersState, token)
    call(page, "load")
    mine = page.numbers[0]

    failing.fail("GET", "AvailablePhoneNumbers", status=400, code=21452)
    page.area_code = "212"
    call(page, "search")
    assert "no numbers for sale in that area code" in page.search_error and page.offers == []

    failing.heal()
    failing.fail("GET", "/v1/PhoneNumbers/Countries", status=401, code=20003)
    pricing.clear_cache()
    call(page, "search")
    assert "contact support" in page.search_error

    failing.heal()
    call(page, "search")
    assert page.search_error == "" and page.offers
    failing.fail("POST", "IncomingPhoneNumbers.json", status=503, headers={"Retry-After": "9"})
    out = call(page, "buy", page.offers[0].phone_number)
    assert _said(out, "not reachable") and page.buying == ""

    failing.fail(None, "/IncomingPhoneNumbers/PN", status=400, code=20005)
    call(page, "start_edit", mine.id)
    page.edit_name = "Support line"
    call(page, "save_edit")
    assert "not active" in page.edit_error
    call(page, "ask_release", mine.id)
    out = call(page, "confirm_release")
    assert _said(out, "not active")
    assert snapshot() == before


def test_dialer_explains_twilio_failures(ui):
    failing, token = ui
    before = snapshot()
    dialer = state_for(SoftphoneState, token)
    call(dialer, "load_numbers")
    dialer.to_raw = "+12125550123"
    for how, words in [
        ({"status": 400, "code": 21219}, "trial account"),
        ({"status": 400, "code": 21215}, "geographic permissions"),
        ({"status": 502, "body": "<html>Bad gateway</html>"}, "not reachable"),
    ]:
        failing.heal()
        failing.fail("POST", "/Clients/", **how)
        call(dialer, "call")
        assert words in dialer.to_error and dialer.status == "idle", dialer.to_error
    assert snapshot() == before
