"""Webhook signatures: Twilio's published example, a round trip, and tampering."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from callplatform.telephony.signatures import (
    compute_signature,
    is_valid_for_any_url,
    is_valid_keyed_signature,
    is_valid_signature,
    signature_algorithm,
)

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


def test_a_url_signed_with_its_default_port_still_validates():
    # Twilio's signing is inconsistent about an explicit :443; the validator tries both.
    params = {"CallSid": "CA" + "0" * 32, "CallStatus": "ringing"}
    with_port = "https://calls.example.com:443/api/twilio/status"
    signature = compute_signature(auth_token=TOKEN, url=with_port, params=params)
    urls = ("https://calls.example.com/api/twilio/status",)
    assert is_valid_for_any_url(auth_token=TOKEN, urls=urls, params=params, signature=signature)
    assert not is_valid_for_any_url(auth_token="other", urls=urls, params=params,
                                    signature=signature)  # fmt: skip
    assert not is_valid_for_any_url(auth_token=TOKEN, urls=(), params=params, signature=signature)


def test_any_of_the_urls_may_carry_the_signature():
    urls = ("https://a.example.com/hook", "https://a.example.com/hook#rc=3")
    for url in urls:
        signature = compute_signature(auth_token=TOKEN, url=url, params=PARAMS)
        assert is_valid_for_any_url(auth_token=TOKEN, urls=urls, params=PARAMS,
                                    signature=signature)  # fmt: skip
    for missing in ("", None):
        assert not is_valid_for_any_url(auth_token=TOKEN, urls=urls, params=PARAMS,
                                        signature=missing)  # fmt: skip


@pytest.mark.parametrize(
    ("header", "algorithm"),
    [
        ("key=KS1,algorithm=HMAC_SHA256", "HMAC_SHA256"),
        (" key=KS1, algorithm=hmac_sha1 ", "HMAC_SHA1"),
        ("algorithm=HMAC_SHA256", "HMAC_SHA256"),
        ("key=KS1,algorithm=HMAC_MD5", None),
        ("key=KS1", None),
        ("", None),
        ("key=KS1,algorithm", None),
    ],
)
def test_the_settings_header_names_a_supported_algorithm(header, algorithm):
    assert signature_algorithm(header) == algorithm


def _keyed(key: str, url: str, params: dict, digest) -> str:
    payload = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(key.encode(), payload.encode(), digest).digest()).decode()


def test_keyed_signatures_under_either_of_our_shared_keys():
    keys = ["old-key", "new-key"]
    for algorithm, digest in (("HMAC_SHA256", hashlib.sha256), ("HMAC_SHA1", hashlib.sha1)):
        for key in keys:
            signature = _keyed(key, URL, PARAMS, digest)
            assert compute_signature(auth_token=key, url=URL, params=PARAMS,
                                     algorithm=algorithm) == signature  # fmt: skip
            assert is_valid_keyed_signature(shared_keys=keys, algorithm=algorithm, urls=[URL],
                                            params=PARAMS, signature=signature)  # fmt: skip
        other = _keyed("stranger", URL, PARAMS, digest)
        assert not is_valid_keyed_signature(shared_keys=keys, algorithm=algorithm, urls=[URL],
                                            params=PARAMS, signature=other)  # fmt: skip
        assert not is_valid_keyed_signature(shared_keys=keys, algorithm=algorithm, urls=[URL],
                                            params=PARAMS, signature=None)  # fmt: skip
    sha1 = _keyed("new-key", URL, PARAMS, hashlib.sha1)
    assert not is_valid_keyed_signature(shared_keys=keys, algorithm="HMAC_SHA256", urls=[URL],
                                        params=PARAMS, signature=sha1)  # fmt: skip
    assert not is_valid_keyed_signature(shared_keys=keys, algorithm="HMAC_MD5", urls=[URL],
                                        params=PARAMS, signature=sha1)  # fmt: skip
    assert not is_valid_keyed_signature(shared_keys=[], algorithm="HMAC_SHA1", urls=[URL],
                                        params=PARAMS, signature=sha1)  # fmt: skip
