"""Every gateway operation on Twilio's 2010 API, sent through the real SDK to Prism.

Prism rejects a request that breaks the official spec with 422, which the gateway turns
into a TelephonyError: any rejected request makes its test fail. Prism replies with the
spec's static examples, so these tests assert acceptance, not the values returned.
Prism ignores query parameters the spec does not declare, so `_assert_declared` checks
the names we sent against the spec as well.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from twilio.base.exceptions import TwilioException

from callplatform.telephony import gateway
from callplatform.telephony.client import make_client
from callplatform.telephony.errors import TelephonyError, translate
from callplatform.telephony.types import (
    AccountCredentials,
    AvailableNumber,
    OwnedNumber,
    WebhookUrls,
)

PN_SID = "PN" + "0123456789abcdef" * 2
URLS = WebhookUrls(
    voice_url="https://app.example.com/api/twilio/voice",
    status_callback="https://app.example.com/api/twilio/status",
    sms_url="https://app.example.com/api/twilio/sms",
)


def _operation(spec: dict, method: str, path: str) -> dict:
    for template, item in spec["paths"].items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path) and method.lower() in item:
            return item[method.lower()]
    raise AssertionError(f"{method} {path} is not in the spec")


def _assert_declared(spec: dict, creds: AccountCredentials) -> None:
    """The last request the client sent used only parameter names the spec declares."""
    sent = make_client(creds).http_client._test_only_last_request
    operation = _operation(spec, sent.method, urlsplit(sent.url).path)
    query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    body_schema = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/x-www-form-urlencoded", {})
        .get("schema", {})
    )
    body = set(body_schema.get("properties", {}))
    assert set(sent.params or {}) <= query, f"undeclared query params: {set(sent.params) - query}"
    assert set(sent.data or {}) <= body, f"undeclared body params: {set(sent.data) - body}"


def test_create_subaccount(twilio_at_prism, spec):
    created = gateway.create_subaccount(friendly_name="user 42")
    assert created.sid.startswith("AC") and created.auth_token
    _assert_declared(spec, twilio_at_prism)


@pytest.mark.parametrize("status", ["suspended", "active", "closed"])
def test_update_subaccount_status(twilio_at_prism, spec, status):
    gateway.update_subaccount_status(account_sid="AC" + "ab" * 16, status=status)
    _assert_declared(spec, twilio_at_prism)


@pytest.mark.parametrize(
    ("toll_free", "filters"),
    [
        (False, {}),
        (False, {"area_code": "415", "contains": "555"}),
        (True, {}),
        (True, {"area_code": "800", "contains": "HELP"}),
    ],
)
def test_search_numbers(twilio_at_prism, spec, toll_free, filters):
    found = gateway.search_numbers(twilio_at_prism, toll_free=toll_free, limit=5, **filters)
    assert all(isinstance(number, AvailableNumber) for number in found)
    _assert_declared(spec, twilio_at_prism)


def test_buy_number(twilio_at_prism, spec):
    bought = gateway.buy_number(
        twilio_at_prism, phone_number="+14155550100", friendly_name="Sales line", urls=URLS
    )
    assert isinstance(bought, OwnedNumber) and bought.sid.startswith("PN")
    _assert_declared(spec, twilio_at_prism)


@pytest.mark.parametrize(
    "changes", [{"friendly_name": "Support"}, {"urls": URLS}, {"friendly_name": "X", "urls": URLS}]
)
def test_update_number(twilio_at_prism, spec, changes):
    updated = gateway.update_number(twilio_at_prism, sid=PN_SID, **changes)
    assert isinstance(updated, OwnedNumber)
    _assert_declared(spec, twilio_at_prism)


def test_update_number_without_changes_fetches(twilio_at_prism, spec):
    assert isinstance(gateway.update_number(twilio_at_prism, sid=PN_SID), OwnedNumber)
    _assert_declared(spec, twilio_at_prism)


def test_release_number(twilio_at_prism, spec):
    assert gateway.release_number(twilio_at_prism, sid=PN_SID) is None
    _assert_declared(spec, twilio_at_prism)


@pytest.mark.parametrize("phone_number", [None, "+14155550100"])
def test_list_numbers(twilio_at_prism, spec, phone_number):
    owned = gateway.list_numbers(twilio_at_prism, phone_number=phone_number, limit=3)
    assert all(isinstance(number, OwnedNumber) for number in owned)
    _assert_declared(spec, twilio_at_prism)


def test_create_twiml_app(twilio_at_prism, spec):
    sid = gateway.create_twiml_app(
        twilio_at_prism,
        friendly_name="CallPlatform browser calls",
        voice_url=URLS.voice_url,
        status_callback=URLS.status_callback,
    )
    assert sid.startswith("AP")
    _assert_declared(spec, twilio_at_prism)


@pytest.mark.parametrize("category", [None, "calls"])
def test_fetch_usage_records(twilio_at_prism, spec, category):
    # The spec's example page always names a next page: `limit` keeps this finite.
    records = gateway.fetch_usage_records(
        twilio_at_prism,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 31),
        category=category,
        limit=3,
    )
    assert 1 <= len(records) <= 3
    assert set(records[0]) == {"category", "usage", "usage_unit", "price", "price_unit"}
    _assert_declared(spec, twilio_at_prism)


def test_prism_rejects_a_request_that_breaks_the_spec(twilio_at_prism):
    """The gate works: a bad enum through the same rewritten client comes back as 422."""
    client = make_client(twilio_at_prism)
    with pytest.raises(TwilioException) as raised:
        client.api.v2010.accounts("AC" + "ab" * 16).update(status="on-holiday")
    error = translate(raised.value)
    assert error.status == 422


def test_gateway_surfaces_a_rejection_as_telephony_error(twilio_at_prism):
    """A spec violation sent by the gateway itself fails loudly (here: a malformed URL)."""
    bad = WebhookUrls(voice_url="not a url", status_callback="::", sms_url="also bad")
    with pytest.raises(TelephonyError) as raised:
        gateway.buy_number(
            twilio_at_prism, phone_number="+14155550100", friendly_name="x", urls=bad
        )
    assert raised.value.status == 422


def test_create_api_key(twilio_at_prism, spec):
    sid, secret = gateway.create_api_key(
        twilio_at_prism, friendly_name="CallPlatform browser calls"
    )
    assert sid.startswith("SK") and secret
    _assert_declared(spec, twilio_at_prism)
