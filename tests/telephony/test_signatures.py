"""Webhook signatures: Twilio's published example, a round trip, and tampering."""

from __future__ import annotations

import base64
import hashlib
import hmac

from callplatform.telephony.signatures import compute_signature, is_valid_signature

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}
# The worked example in Twilio's security documentation.
PUBLISHED_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def _independent_signature(token: str, url: str, params: dict[str, str]) -> str:
    # Twilio's scheme written out: HMAC-SHA1 over the URL followed by sorted key+value pairs.
    payload = url + "".join(key + params[key] for key in sorted(params))
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def test_matches_twilios_published_example():
    assert compute_signature(auth_token=TOKEN, url=URL, params=PARAMS) == PUBLISHED_SIGNATURE
    assert _independent_signature(TOKEN, URL, PARAMS) == PUBLISHED_SIGNATURE
    assert is_valid_signature(
        auth_token=TOKEN, url=URL, params=PARAMS, signature=PUBLISHED_SIGNATURE
    )


def test_round_trip():
    url = "http://127.0.0.1:3000/api/twilio/status"
    params = {"CallSid": "CA" + "0" * 32, "CallStatus": "completed", "SequenceNumber": "3"}
    signature = compute_signature(auth_token="tok", url=url, params=params)
    assert is_valid_signature(auth_token="tok", url=url, params=params, signature=signature)


def test_tampering_is_rejected():
    signature = compute_signature(auth_token=TOKEN, url=URL, params=PARAMS)
    changed_value = {**PARAMS, "Digits": "9999"}
    added_param = {**PARAMS, "CallStatus": "completed"}
    assert not is_valid_signature(
        auth_token=TOKEN, url=URL, params=changed_value, signature=signature
    )
    assert not is_valid_signature(
        auth_token=TOKEN, url=URL, params=added_param, signature=signature
    )
    assert not is_valid_signature(
        auth_token=TOKEN, url=URL.replace("foo=1", "foo=2"), params=PARAMS, signature=signature
    )
    assert not is_valid_signature(auth_token="other", url=URL, params=PARAMS, signature=signature)


def test_missing_signature_or_token_is_invalid():
    for signature in (None, ""):
        assert not is_valid_signature(auth_token=TOKEN, url=URL, params=PARAMS, signature=signature)
    signature = compute_signature(auth_token=TOKEN, url=URL, params=PARAMS)
    assert not is_valid_signature(auth_token="", url=URL, params=PARAMS, signature=signature)
