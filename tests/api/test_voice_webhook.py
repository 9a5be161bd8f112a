"""The voice webhook decides every call on the server: caller ID ownership, destination
rules, spend cap and rate limit, suspension; refusals are spoken and audited."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sqlmodel import select

from callplatform import config
from callplatform.api import signed
from callplatform.billing import ledger
from callplatform.db import session_scope
from callplatform.models import (
    AuditEvent,
    CostKind,
    PlatformSetting,
    TwilioSubaccount,
    UserPhoneNumber,
)
from callplatform.telephony.signatures import compute_signature
from callplatform.tenancy import crypto
from tests.helpers import make_user, personal_workspace

ACCOUNT, TOKEN = "AC" + "4" * 32, "e" * 32
MINE = "+14155550100"


@pytest.fixture
def voice(db_url, live_api, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://calls.example.com")
    config.reset_settings()
    signed.clear_token_cache()
    uid = make_user("ann@example.com")
    workspace = personal_workspace(uid)
    with session_scope() as s:
        s.add(
            TwilioSubaccount(
                user_id=uid,
                workspace_id=workspace,
                account_sid=ACCOUNT,
                auth_token_encrypted=crypto.encrypt(TOKEN),
            )
        )
        s.add(
            UserPhoneNumber(
                user_id=uid,
                workspace_id=workspace,
                phone_number=MINE,
                phone_number_sid="PN" + "5" * 32,
            )
        )
    client = httpx.Client(base_url=live_api, timeout=10)

    def ask(to: str, caller_id: str = MINE, identity: str | None = None) -> str:
        params = {
            "AccountSid": ACCOUNT,
            "CallSid": "CA" + "6" * 32,
            "To": to,
            "From": f"client:{identity or f'user-{uid}'}",
            "CallerId": caller_id,
            "Direction": "inbound",
            "CallStatus": "ringing",
        }
        url = "https://calls.example.com/api/twilio/voice"
        sig = compute_signature(auth_token=TOKEN, url=url, params=params)
        response = client.post(
            "/api/twilio/voice", data=params, headers={"X-Twilio-Signature": sig}
        )
        assert response.status_code == 200
        return response.text

    yield uid, ask
    client.close()
    signed.clear_token_cache()


def _refusals():
    with session_scope() as s:
        return [
            e.detail.get("reason", "")
            for e in s.exec(select(AuditEvent).where(AuditEvent.action == "call.refused"))
        ]


def test_allowed_call_dials_from_the_users_number(voice):
    _, ask = voice
    twiml = ask("+1 (212) 555-0123")
    assert f'callerId="{MINE}"' in twiml and "<Number" in twiml and "+12125550123" in twiml


@pytest.mark.parametrize(
    ("to", "caller_id", "words"),
    [
        ("+19005550100", MINE, "premium-rate"),
        ("+442071838750", MINE, "aren't enabled"),
        ("+12125550123", "+13105550100", "your own numbers"),
    ],
)
def test_refusals_are_spoken_and_audited(voice, to, caller_id, words):
    _, ask = voice
    twiml = ask(to, caller_id)
    assert "<Dial" not in twiml and "<Say>" in twiml and words in twiml and "<Hangup" in twiml
    assert any(words in reason for reason in _refusals())


def test_a_client_identity_of_another_user_is_refused(voice):
    uid, ask = voice
    twiml = ask("+12125550123", identity=f"user-{uid + 1}")
    assert "<Dial" not in twiml and "not allowed" in twiml


def test_cap_and_rate_limit_at_the_webhook(voice):
    uid, ask = voice
    with session_scope() as s:
        s.add(PlatformSetting(default_monthly_cap=Decimal("1.00"), calls_per_minute=2))
    assert "<Dial" in ask("+12125550123") and "<Dial" in ask("+12125550124")
    assert "at most 2 a minute" in ask("+12125550125")  # the third attempt this minute
    with session_scope() as s:
        s.get(PlatformSetting, 1).calls_per_minute = 100
        ledger.record_cost(
            session=s,
            workspace_id=personal_workspace(uid),
            kind=CostKind.NUMBER_MONTHLY,
            source_key="n",
            twilio_cost=Decimal("1.15"),
        )
    assert "monthly spend cap of $1.00" in ask("+12125550126")
