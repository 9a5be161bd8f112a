"""Twilio webhook signatures (X-Twilio-Signature): checking ours, computing for peers.

Twilio signs the full URL it requested plus the POST parameters with the auth token of
the account the webhook belongs to; `RequestValidator` implements that scheme.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping

from twilio.request_validator import RequestValidator


def is_valid_signature(
    *, auth_token: str, url: str, params: Mapping[str, str], signature: str | None
) -> bool:
    """Whether `signature` is Twilio's signature of `url` + `params` under `auth_token`."""
    if not signature or not auth_token:
        return False
    if hmac.compare_digest(_sha1_signature(auth_token, url, params), signature):
        return True  # the common case, at the cost of one HMAC
    # The validator also tries the URL with and without its port (Twilio's signing is
    # inconsistent there), and covers SHA-256 signatures and JSON body hashes.
    return RequestValidator(auth_token).validate(url, dict(params), signature)


def _sha1_signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    payload = url + "".join(key + params[key] for key in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def compute_signature(*, auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """The signature Twilio would send for `url` + `params` (tests and the sandbox use it)."""
    return RequestValidator(auth_token).compute_signature(url, dict(params))
