"""When Twilio fails, the public API answers JSON: 502 when Twilio refused the request,
503 when it could not be reached, timed out, was overloaded or refused the platform's
credentials (with Twilio's Retry-After), in sentences a user understands; nothing is
left half-written, and a failed purchase lets go of its Idempotency-Key so the retry
goes through once Twilio is back. Twilio is a real HTTP server on loopback
(tests/failing_twilio.py) in front of the built-in sandbox, on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

from callplatform import config
from callplatform.accounts import rate_limit
from callplatform.db import session_scope
from callplatform.models import User
from callplatform.numbers import pricing
from callplatform.telephony import client, gateway
from callplatform.tenancy import subaccounts
from tests.api.public_api import buy_first, client_for
from tests.api.twilio_failures_fixtures import (
    SEARCH_FAILURES,
    TIMEOUT_SECONDS,
    assert_error,
    assert_unchanged,
    point_twilio_at,
    snapshot,
)
from tests.failing_twilio import FailingTwilio
from tests.helpers import free_port, make_user, personal_workspace

AVAILABLE = "AvailablePhoneNumbers"
BUY = "IncomingPhoneNumbers.json"
PRICES = "/v1/PhoneNumbers/Countries"


@pytest.fixture
def twilio(db_url, live_api, monkeypatch):
    """(FailingTwilio in front of the sandbox, an API client signed in as ann), on
    SQLite then PostgreSQL."""
    with FailingTwilio(upstream_port=int(live_api.rsplit(":", 1)[1])) as failing:
        point_twilio_at(monkeypatch, failing.base_url, live_api)
        make_user("ann@example.com")
        api = client_for(live_api, "ann@example.com")
        yield failing, api
        api.close()
    client.clear_client_cache()
    pricing.clear_cache()
    rate_limit.reset()


@pytest.mark.parametrize("kind", list(SEARCH_FAILURES))
def test_search_failures_are_explained(twilio, kind):
    failing, api = twilio
    how, expected = SEARCH_FAILURES[kind]
    failing.fail("GET", AVAILABLE, **how)
    before = snapshot()
    answer = api.get("/api/twilio/numbers/available", params={"area_code": "415"})
    assert_error(answer, *expected)
    assert snapshot() == before
    failing.heal()
    assert api.get("/api/twilio/numbers/available", params={"area_code": "415"}).status_code == 200


def test_twilio_unreachable_is_503(db_url, live_api, monkeypatch):
    closed = f"http://127.0.0.1:{free_port()}/_sandbox/twilio"  # nothing listens there
    point_twilio_at(monkeypatch, closed, live_api)
    make_user("ann@example.com")
    api = client_for(live_api, "ann@example.com")
    try:
        before = snapshot()
        answer = api.get("/api/twilio/numbers/available", params={"area_code": "415"})
        assert_error(answer, 503, "twilio_unavailable", None, "not reachable", None)
        bought = api.post(
            "/api/twilio/numbers",
            json={"phone_number": "+14155550100"},
            headers={"Idempotency-Key": "k-closed"},
        )
        assert_error(bought, 503, "twilio_unavailable", None, "not reachable", None)
        assert snapshot() == before  # and the key is free again
    finally:
        api.close()


@pytest.mark.parametrize(
    ("path", "how", "expected"),
    [
        (BUY, {"status": 503, "code": 20503, "headers": {"Retry-After": "12"}},
         (503, "twilio_unavailable", "phone_number", "not reachable", "12")),
        (BUY, {"status": 500, "body": "Internal Server Error"},
         (503, "twilio_unavailable", "phone_number", "not reachable", None)),
        (BUY, {"status": 401, "code": 20003},
         (503, "twilio_unavailable", "phone_number", "contact support", None)),
        ("Accounts.json", {"status": 503, "code": 20503},  # the user's subaccount
         (503, "twilio_unavailable", None, "not reachable", None)),
        (PRICES, {"status": 500},  # the monthly price
         (503, "twilio_unavailable", None, "not reachable", None)),
    ],
)  # fmt: skip
def test_failed_purchase_changes_nothing_and_its_retry_succeeds(twilio, path, how, expected):
    failing, api = twilio
    offer = api.get("/api/twilio/numbers/available", params={"area_code": "415"}).json()[0]
    body = {"phone_number": offer["phone_number"], "friendly_name": "Sales"}
    before = snapshot()
    failing.fail("GET" if path == PRICES else "POST", path, **how)
    failed = api.post("/api/twilio/numbers", json=body, headers={"Idempotency-Key": "k-1"})
    assert_error(failed, *expected)
    # No number, no claim, no cost; the key is free again.
    assert_unchanged(before, subaccount_made=path == BUY)
    failing.heal()
    retried = api.post("/api/twilio/numbers", json=body, headers={"Idempotency-Key": "k-1"})
    assert retried.status_code == 201, retried.text
    assert retried.json()["phone_number"] == offer["phone_number"]
    assert [n["id"] for n in api.get("/api/twilio/my-numbers").json()] == [retried.json()["id"]]


def test_number_taken_at_twilio_is_422(twilio):
    failing, api = twilio
    failing.fail("POST", BUY, status=400, code=21422)
    before = snapshot()
    taken = api.post(
        "/api/twilio/numbers",
        json={"phone_number": "+14155550100"},
        headers={"Idempotency-Key": "k-taken"},
    )
    assert_error(taken, 422, "invalid", "phone_number", "taken", None)
    assert_unchanged(before, subaccount_made=True)


def test_purchase_whose_answer_never_came_is_settled_by_its_retry(twilio):
    """Twilio bought the number but answered after our timeout: the claim stays pending
    (never shown as owned), and the retry asks Twilio instead of buying twice."""
    failing, api = twilio
    offer = api.get("/api/twilio/numbers/available", params={"area_code": "415"}).json()[0]
    body = {"phone_number": offer["phone_number"]}
    failing.fail("POST", BUY, hold_seconds=TIMEOUT_SECONDS * 2, then_pass_on=True)
    lost = api.post("/api/twilio/numbers", json=body, headers={"Idempotency-Key": "k-slow"})
    assert_error(lost, 503, "twilio_unavailable", "phone_number", "not reachable", None)
    assert api.get("/api/twilio/my-numbers").json() == []
    too_soon = api.post("/api/twilio/numbers", json=body, headers={"Idempotency-Key": "k-slow"})
    assert_error(too_soon, 503, "twilio_unavailable", "phone_number", "still being", "2")
    assert failing.passed_on.wait(10)  # the slow Twilio did buy it, after all
    failing.heal()
    time.sleep(TIMEOUT_SECONDS + 1.1)
    retried = api.post("/api/twilio/numbers", json=body, headers={"Idempotency-Key": "k-slow"})
    assert retried.status_code == 201, retried.text
    assert snapshot()["numbers"] == [(offer["phone_number"], "active", offer["display"])]
    assert snapshot()["costs"] == 1  # one monthly fee: bought once
    buys = [p for m, p in failing.seen if m == "POST" and p.endswith(BUY)]
    assert len(buys) == 1
    with session_scope() as s:
        ann = s.exec(select(User).where(User.email == "ann@example.com")).one()
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(ann.id))
    assert len(gateway.list_numbers(creds)) == 1  # at Twilio too


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ({"status": 400, "code": 21219},
         (502, "twilio_error", "my_phone", "trial account", None)),
        ({"status": 400, "code": 21210},
         (502, "twilio_error", "from_number", "caller ID", None)),
        ({"status": 400, "code": 21215},
         (502, "twilio_error", "my_phone", "geographic permissions", None)),
        ({"status": 503, "code": 20503, "headers": {"Retry-After": "20"}},
         (503, "twilio_unavailable", None, "not reachable", "20")),
        ({"hold_seconds": TIMEOUT_SECONDS * 2, "status": 200, "body": "{}"},
         (503, "twilio_unavailable", None, "not reachable", None)),
    ],
)  # fmt: skip
def test_click_to_call_failures_are_explained(twilio, how, expected):
    failing, api = twilio
    number = buy_first(api)
    before = snapshot()
    failing.fail("POST", "/Calls.json", **how)
    answer = api.post(
        "/api/twilio/call",
        json={
            "from_number": number["phone_number"],
            "to": "+12125550123",
            "my_phone": "+16465550142",
        },
    )
    assert_error(answer, *expected)
    assert snapshot() == before  # no call logged, nothing billed
    assert api.get("/api/twilio/calls").json()["calls"] == []


def test_rename_and_release_failures_change_nothing(twilio):
    failing, api = twilio
    number = buy_first(api)
    path = f"/api/twilio/numbers/{number['id']}"
    before = snapshot()
    failing.fail(None, "/IncomingPhoneNumbers/PN", status=500, headers={"Retry-After": "3"})
    renamed = api.patch(path, json={"friendly_name": "Support", "record_calls": True})
    assert_error(renamed, 503, "twilio_unavailable", "friendly_name", "not reachable", "3")
    released = api.delete(path)
    assert_error(released, 503, "twilio_unavailable", None, "not reachable", "3")
    assert snapshot() == before
    mine = api.get("/api/twilio/my-numbers").json()
    assert [(n["friendly_name"], n["record_calls"]) for n in mine] == [
        (number["friendly_name"], False)
    ]
    failing.heal()
    assert api.delete(path).status_code == 204


def test_search_timeout_is_bounded_by_the_setting(twilio):
    """The timeout is TWILIO_TIMEOUT_SECONDS, not the 15 s default: the answer comes
    soon after it."""
    failing, api = twilio
    assert config.get_settings().twilio_timeout_seconds == TIMEOUT_SECONDS
    failing.fail("GET", AVAILABLE, hold_seconds=5, status=200, body="{}")
    started = time.monotonic()
    answer = api.get("/api/twilio/numbers/available", params={"area_code": "415"})
    assert answer.status_code == 503 and time.monotonic() - started < 4
