"""Signatures as Twilio computes them, against the real app over HTTP: either form of
the URL we registered (with or without its connection-override fragment), Webhook
Rules' shared keys (X-Twilio-Webhooks-Signature-Settings), and a token cache that is
bounded and forgets a rotated token within a minute."""

from __future__ import annotations

import secrets

import httpx
import pytest

from callplatform import config
from callplatform.api import signed
from callplatform.common import webhook_urls
from callplatform.db import session_scope
from callplatform.models import TwilioSubaccount
from callplatform.telephony.signatures import compute_signature
from callplatform.tenancy import crypto
from tests.helpers import make_user, personal_workspace

BASE = "https://calls.example.com"
PATH = "/api/twilio/status"
ACCOUNT, TOKEN = "AC" + "4" * 32, "e" * 32


def _params(account: str = ACCOUNT) -> dict:
    return {"AccountSid": account, "CallSid": "CA" + secrets.token_hex(16),
            "CallStatus": "initiated", "SequenceNumber": "0", "From": "+14155550100",
            "To": "+12125550123", "Direction": "outbound-api"}  # fmt: skip


@pytest.fixture
def app(sqlite_db, live_api, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", BASE)
    config.reset_settings()
    signed.clear_token_cache()
    user = make_user("ann@example.com")
    with session_scope() as s:
        s.add(TwilioSubaccount(user_id=user, workspace_id=personal_workspace(user),
                               account_sid=ACCOUNT,
                               auth_token_encrypted=crypto.encrypt(TOKEN)))  # fmt: skip
    with httpx.Client(base_url=live_api, timeout=10) as client:
        yield client
    signed.clear_token_cache()


def _post(client, *, key=TOKEN, url=BASE + PATH, params=None, algorithm=None, header=None):
    params = params or _params()
    kind = algorithm or "HMAC_SHA1"
    headers = {
        "X-Twilio-Signature": compute_signature(
            auth_token=key, url=url, params=params, algorithm=kind
        )
    }
    if header is not None or algorithm is not None:
        headers["X-Twilio-Webhooks-Signature-Settings"] = header or f"key=KS1,algorithm={kind}"
    return client.post(PATH, data=params, headers=headers).status_code


def test_either_form_of_the_registered_url_is_accepted(app):
    assert _post(app, url=BASE + PATH) == 204
    assert _post(app, url=BASE + PATH + webhook_urls.RETRY_OVERRIDES) == 204
    assert _post(app, url=BASE + PATH + "#rc=5") == 403  # not a URL we registered
    assert _post(app, url=BASE + PATH + webhook_urls.RETRY_OVERRIDES, key="0" * 32) == 403


def test_shared_key_signatures_need_a_configured_key(app, monkeypatch):
    # No shared key configured: a Webhook Rule's signature is refused, whatever it is.
    assert _post(app, key="whatever", algorithm="HMAC_SHA256") == 403
    assert _post(app, header="key=KS1,algorithm=HMAC_SHA1") == 403  # the token is not a key
    monkeypatch.setenv("TWILIO_WEBHOOK_SHARED_KEYS", "old-shared-key, new-shared-key")
    config.reset_settings()
    assert _post(app, key="new-shared-key", algorithm="HMAC_SHA256") == 204
    assert _post(app, key="old-shared-key", algorithm="HMAC_SHA256") == 204  # rotating
    assert _post(app, key="new-shared-key", algorithm="HMAC_SHA1") == 204
    assert _post(app, key="other-key", algorithm="HMAC_SHA256") == 403
    assert _post(app, key=TOKEN, algorithm="HMAC_SHA256") == 403
    assert _post(app, key="new-shared-key", header="key=KS1,algorithm=HMAC_MD5") == 403
    assert _post(app, key="new-shared-key", header="key=KS1") == 403
    # The key proves Twilio sent it, but only for one of our own accounts.
    stranger = _params(account="AC" + "9" * 32)
    assert _post(app, key="new-shared-key", algorithm="HMAC_SHA256", params=stranger) == 403


def test_a_rotated_token_stops_validating_within_a_minute(app, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(signed, "_tokens", signed.new_token_cache(timer=lambda: now[0]))
    assert _post(app) == 204
    rotated = "d" * 32
    with session_scope() as s:
        row = s.get(TwilioSubaccount, 1)
        row.auth_token_encrypted = crypto.encrypt(rotated)
        s.add(row)
    now[0] += 59
    assert _post(app) == 204  # cached for a minute
    now[0] += 1
    assert _post(app) == 403  # a minute on, the old token no longer validates
    assert _post(app, key=rotated) == 204


def test_the_token_cache_is_bounded(app):
    for n in range(signed.TOKEN_CACHE_SIZE + 50):
        assert signed._token_for(f"AC{n:032x}") is None  # made-up accounts
        assert len(signed._tokens) <= 10_000
    assert signed._token_for(ACCOUNT) == TOKEN
