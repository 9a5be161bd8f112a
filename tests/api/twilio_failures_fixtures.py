"""What the Twilio-failure tests share: the failures scripted and the answers expected,
settings that point the app at a Twilio, and a snapshot of every row a failed request
could leave behind."""

from __future__ import annotations

from sqlmodel import select

from callplatform import config
from callplatform.accounts import rate_limit
from callplatform.db import session_scope
from callplatform.models import (
    AuditEvent,
    CostItem,
    IdempotencyKey,
    TwilioCall,
    TwilioSubaccount,
    UserPhoneNumber,
)
from callplatform.numbers import pricing
from callplatform.telephony import client

TIMEOUT_SECONDS = 1.0  # TWILIO_TIMEOUT_SECONDS in these tests: a hold of 2 s times out

# Twilio's answers, as FailingTwilio scripts them, and what our API must answer.
SEARCH_FAILURES = {
    "no numbers in the area code": (
        {"status": 400, "code": 21452},
        (502, "twilio_error", "area_code", "no numbers for sale in that area code", None),
    ),
    "platform credentials refused": (
        {"status": 401, "code": 20003},
        (503, "twilio_unavailable", None, "contact support", None),
    ),
    "an HTML 502 from a proxy": (
        {"status": 502, "body": "<html><body>Bad gateway</body></html>"},
        (503, "twilio_unavailable", None, "not reachable", None),
    ),
    "503 with Retry-After": (
        {"status": 503, "code": 20503, "headers": {"Retry-After": "30"}},
        (503, "twilio_unavailable", None, "not reachable", "30"),
    ),
    "429 too many requests": (
        {"status": 429, "code": 20429, "headers": {"Retry-After": "7"}},
        (503, "twilio_unavailable", None, "busy", "7"),
    ),
    "a 200 whose body is not Twilio's JSON": (
        {"status": 200, "body": "<html><body>Captive portal</body></html>"},
        (502, "twilio_error", None, "could not complete", None),
    ),
    "no answer before the timeout": (
        {"hold_seconds": TIMEOUT_SECONDS * 2.5, "status": 200, "body": "{}"},
        (503, "twilio_unavailable", None, "not reachable", None),
    ),
}


def snapshot() -> dict:
    """Every row a failed request could leave half-written."""
    with session_scope() as s:
        return {
            "numbers": sorted(
                (r.phone_number, r.status, r.friendly_name) for r in s.exec(select(UserPhoneNumber))
            ),
            "keys": sorted((k.key, k.status_code) for k in s.exec(select(IdempotencyKey))),
            "subaccounts": len(s.exec(select(TwilioSubaccount)).all()),
            "calls": len(s.exec(select(TwilioCall)).all()),
            "costs": len(s.exec(select(CostItem)).all()),
            "audit": len(s.exec(select(AuditEvent)).all()),
        }


def assert_unchanged(before: dict, *, subaccount_made: bool = False) -> None:
    """Nothing of `before` changed, except (when Twilio made one before the failure) the
    user's subaccount: it exists at Twilio, so it is kept."""
    after = snapshot()
    assert {**after, "subaccounts": 0} == {**before, "subaccounts": 0}
    assert after["subaccounts"] == before["subaccounts"] + subaccount_made


def point_twilio_at(monkeypatch, base_url: str, public_url: str) -> None:
    monkeypatch.setenv("TWILIO_API_BASE_URL", base_url)
    monkeypatch.setenv("PUBLIC_BASE_URL", public_url)
    monkeypatch.setenv("TWILIO_TIMEOUT_SECONDS", str(TIMEOUT_SECONDS))
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.02")
    monkeypatch.setenv("API_REQUESTS_PER_MINUTE", "100000")
    config.reset_settings()
    client.clear_client_cache()
    pricing.clear_cache()
    rate_limit.reset()


def assert_error(response, status: int, code: str, field: str | None, words: str, retry):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field), error
    assert words in error["message"], error["message"]
    assert response.headers.get("Retry-After") == retry
