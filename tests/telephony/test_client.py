"""Where the SDK's requests go, end to end through a real HTTP server on 127.0.0.1.

Also covers the gateway behaviours that need a scripted Twilio rather than the spec's
mock: Pricing v1 (not in the 2010 spec), error bodies, 404 on release, paging bounds
and timeouts.
"""

from __future__ import annotations

import base64
import socket
import threading
from decimal import Decimal

import pytest

from callplatform import config
from callplatform.telephony import gateway
from callplatform.telephony.client import (
    api_base_url,
    clear_client_cache,
    make_client,
    platform_credentials,
    rewrite_url,
)
from callplatform.telephony.errors import (
    NotFound,
    NumberUnavailable,
    PlatformRefused,
    TwilioUnavailable,
)
from callplatform.telephony.paging import MAX_PAGES
from callplatform.telephony.types import AccountCredentials, NumberPrice, WebhookUrls

from .conftest import ACCOUNT_SID, AUTH_TOKEN

NUMBERS_PATH = f"/fake-prefix/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers.json"
PRICES_PATH = "/fake-prefix/v1/PhoneNumbers/Countries/US"
URLS = WebhookUrls(
    voice_url="https://app.example.com/v",
    status_callback="https://app.example.com/s",
    sms_url="https://app.example.com/m",
)
NUMBER = {
    "sid": "PN" + "1" * 32,
    "account_sid": ACCOUNT_SID,
    "phone_number": "+14155550100",
    "friendly_name": "(415) 555-0100",
    "capabilities": {"voice": True, "sms": True, "mms": False, "fax": False},
    "voice_url": "https://app.example.com/v",
}


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        (
            "https://api.twilio.com/2010-04-01/Accounts.json",
            "http://127.0.0.1:3000/_sandbox/twilio",
            "http://127.0.0.1:3000/_sandbox/twilio/2010-04-01/Accounts.json",
        ),
        (
            "https://pricing.twilio.com/v1/PhoneNumbers/Countries/US",
            "http://127.0.0.1:4010",
            "http://127.0.0.1:4010/v1/PhoneNumbers/Countries/US",
        ),
        (
            "https://api.twilio.com/2010-04-01/X.json?Page=1&PageToken=PA%3D",
            "http://localhost:9/p/",
            "http://localhost:9/p/2010-04-01/X.json?Page=1&PageToken=PA%3D",
        ),
        ("https://api.twilio.com/x", None, "https://api.twilio.com/x"),
        ("https://example.com/x", "http://127.0.0.1:1", "https://example.com/x"),
        (
            "https://api.twilio.com.evil.org/x",
            "http://127.0.0.1:1",
            "https://api.twilio.com.evil.org/x",
        ),
    ],
)
def test_rewrite_url(url, base, expected):
    assert rewrite_url(url, base) == expected


def test_requests_reach_the_base_with_prefix_and_credentials(fake_twilio, creds):
    fake_twilio.answer("GET", NUMBERS_PATH, 200, {"incoming_phone_numbers": [NUMBER]})
    owned = gateway.list_numbers(creds, phone_number="+14155550100")
    assert [n.sid for n in owned] == [NUMBER["sid"]]
    assert owned[0].voice and owned[0].sms and not owned[0].mms
    request = fake_twilio.received[-1]
    assert request.path == NUMBERS_PATH
    assert request.query["PhoneNumber"] == ["+14155550100"]
    expected_auth = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected_auth}"


def test_buy_sends_our_webhooks_with_post(fake_twilio, creds):
    fake_twilio.answer("POST", NUMBERS_PATH, 201, NUMBER)
    gateway.buy_number(creds, phone_number="+14155550100", friendly_name="Sales", urls=URLS)
    form = {k: v[0] for k, v in fake_twilio.received[-1].form.items()}
    assert form == {
        "PhoneNumber": "+14155550100",
        "FriendlyName": "Sales",
        "VoiceUrl": URLS.voice_url,
        "VoiceMethod": "POST",
        "StatusCallback": URLS.status_callback,
        "StatusCallbackMethod": "POST",
        "SmsUrl": URLS.sms_url,
        "SmsMethod": "POST",
    }


def test_twilio_error_body_becomes_a_specific_error(fake_twilio, creds):
    fake_twilio.answer("POST", NUMBERS_PATH, 400, {"code": 21422, "message": "not available"})
    with pytest.raises(NumberUnavailable) as raised:
        gateway.buy_number(creds, phone_number="+14155550100", friendly_name="x", urls=URLS)
    assert (raised.value.status, raised.value.code) == (400, 21422)


def test_list_error_is_translated(fake_twilio, creds):
    fake_twilio.answer("GET", NUMBERS_PATH, 401, {"code": 20003, "message": "Authenticate"})
    with pytest.raises(PlatformRefused):
        gateway.list_numbers(creds)


def test_release_of_a_released_number_is_quiet(fake_twilio, creds):
    path = NUMBERS_PATH.replace(".json", f"/{NUMBER['sid']}.json")
    assert gateway.release_number(creds, sid=NUMBER["sid"]) is None  # unscripted: 404
    fake_twilio.answer("DELETE", path, 500, {"code": 20500})
    with pytest.raises(TwilioUnavailable):
        gateway.release_number(creds, sid=NUMBER["sid"])


def test_paging_is_bounded(fake_twilio, creds):
    next_uri = f"/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers.json?Page=1&PageToken=PA1"
    fake_twilio.answer(
        "GET", NUMBERS_PATH, 200, {"incoming_phone_numbers": [NUMBER], "next_page_uri": next_uri}
    )
    assert len(gateway.list_numbers(creds, limit=4)) == 4
    assert len(fake_twilio.received) == 4
    assert fake_twilio.received[1].query["PageToken"] == ["PA1"]
    # A server that names a next page forever but sends no records is read MAX_PAGES times.
    fake_twilio.received.clear()
    fake_twilio.answer(
        "GET", NUMBERS_PATH, 200, {"incoming_phone_numbers": [], "next_page_uri": next_uri}
    )
    assert gateway.list_numbers(creds) == []
    assert len(fake_twilio.received) == MAX_PAGES


def test_number_price_from_pricing_v1(fake_twilio, creds):
    fake_twilio.answer(
        "GET",
        PRICES_PATH,
        200,
        {
            "country": "United States",
            "iso_country": "US",
            "phone_number_prices": [
                {"number_type": "local", "base_price": "1.15", "current_price": "1.15"},
                {"number_type": "toll free", "base_price": "2.15", "current_price": "2.00"},
            ],
            "price_unit": "USD",
        },
    )
    assert gateway.number_price(creds) == NumberPrice(monthly=Decimal("1.15"), unit="USD")
    assert gateway.number_price(creds, toll_free=True) == NumberPrice(Decimal("2.00"), "USD")
    assert fake_twilio.received[-1].path == PRICES_PATH


def test_number_price_for_a_missing_kind_is_not_found(fake_twilio, creds):
    fake_twilio.answer("GET", PRICES_PATH, 200, {"phone_number_prices": [], "price_unit": "USD"})
    with pytest.raises(NotFound):
        gateway.number_price(creds, toll_free=True)


def test_timeout_comes_from_settings(fake_twilio, creds, monkeypatch):
    monkeypatch.setenv("TWILIO_TIMEOUT_SECONDS", "0.2")
    config.reset_settings()
    clear_client_cache()
    fake_twilio.delay = 1.0
    with pytest.raises(TwilioUnavailable):
        gateway.list_numbers(creds)


def test_unreachable_twilio_is_unavailable(creds, monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_API_BASE_URL", f"http://127.0.0.1:{closed_port}")
    config.reset_settings()
    clear_client_cache()
    try:
        with pytest.raises(TwilioUnavailable):
            gateway.list_numbers(creds)
    finally:
        config.reset_settings()
        clear_client_cache()


def test_base_url_choice(monkeypatch):
    monkeypatch.delenv("TWILIO_API_BASE_URL", raising=False)
    monkeypatch.delenv("TWILIO_ACCOUNT_SID", raising=False)
    monkeypatch.setenv("APP_PORT", "3123")
    config.reset_settings()
    assert api_base_url() == "http://127.0.0.1:3123/_sandbox/twilio"
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    config.reset_settings()
    assert api_base_url() is None
    assert platform_credentials() == AccountCredentials(sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_API_BASE_URL", "http://127.0.0.1:4010/")
    config.reset_settings()
    assert api_base_url() == "http://127.0.0.1:4010"
    config.reset_settings()


def test_sandbox_platform_credentials(sqlite_db, live_api, monkeypatch):
    """(`live_api`: the app with the sandbox mounted, which hands telephony its master
    account, also when this test runs first in its process.)"""
    from twilio_sandbox import credentials

    monkeypatch.delenv("TWILIO_ACCOUNT_SID", raising=False)
    config.reset_settings()
    try:
        sid, token = credentials.master_credentials()
        assert platform_credentials() == AccountCredentials(sid=sid, auth_token=token)
    finally:
        config.reset_settings()


def test_clients_are_cached_per_account_and_thread_safe(fake_twilio, creds, monkeypatch):
    monkeypatch.setenv("TWILIO_REGION", "au1")  # must not leak in from os.environ
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(make_client(creds))) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(client) for client in seen}) == 1
    assert seen[0].region is None and seen[0].account_sid == ACCOUNT_SID
    rotated = AccountCredentials(sid=creds.sid, auth_token="rotated")
    assert make_client(rotated) is not seen[0]
    assert make_client(rotated).http_client is seen[0].http_client  # one pool per destination
    clear_client_cache()
    assert make_client(creds) is not seen[0]


def test_credentials_repr_hides_the_token(creds):
    assert AUTH_TOKEN not in repr(creds)
