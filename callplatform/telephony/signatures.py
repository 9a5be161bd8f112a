"""Twilio webhook signatures (X-Twilio-Signature): checking ours, computing for peers.

Twilio signs the full URL it requested plus the POST parameters: by default with the
auth token of the account the webhook belongs to (HMAC-SHA1, `RequestValidator`'s
scheme); when a Webhook Rule matches the URL, with the Setting's shared key and
algorithm instead, announced by `X-Twilio-Webhooks-Signature-Settings:
key=<id>,algorithm=HMAC_SHA256` (the signed string is the same, only the hash changes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence

from twilio.request_validator import RequestValidator

SETTINGS_HEADER = "x-twilio-webhooks-signature-settings"
_ALGORITHMS = {"HMAC_SHA1": hashlib.sha1, "HMAC_SHA256": hashlib.sha256}


def is_valid_signature(
    *, auth_token: str, url: str, params: Mapping[str, str], signature: str | None
) -> bool:
    """Whether `signature` is Twilio's signature of `url` + `params` under `auth_token`."""
    return is_valid_for_any_url(
        auth_token=auth_token, urls=(url,), params=params, signature=signature
    )


def is_valid_for_any_url(
    *, auth_token: str, urls: Sequence[str], params: Mapping[str, str], signature: str | None
) -> bool:
    """`is_valid_signature` for any of `urls` (the forms one registered URL may be signed in)."""
    if not signature or not auth_token:
        return False
    # The common case first, at the cost of one HMAC per form.
    if any(hmac.compare_digest(_signature(auth_token, u, params), signature) for u in urls):
        return True
    # The validator also tries the URL with and without its port (Twilio's signing is
    # inconsistent there), and covers SHA-256 signatures and JSON body hashes.
    validator = RequestValidator(auth_token)
    return any(validator.validate(u, dict(params), signature) for u in urls)


def signature_algorithm(settings_header: str) -> str | None:
    """The algorithm a Webhook Rule's settings header names, if we support it."""
    fields = dict(part.strip().partition("=")[::2] for part in settings_header.split(","))
    algorithm = fields.get("algorithm", "").strip().upper()
    return algorithm if algorithm in _ALGORITHMS else None


def is_valid_keyed_signature(
    *,
    shared_keys: Iterable[str],
    algorithm: str,
    urls: Sequence[str],
    params: Mapping[str, str],
    signature: str | None,
) -> bool:
    """Whether `signature` is a Webhook Rule's signature of any of `urls` + `params` under
    one of our shared keys (several while a key is being rotated)."""
    if not signature or algorithm not in _ALGORITHMS:
        return False
    return any(
        hmac.compare_digest(_signature(key, url, params, algorithm), signature)
        for key in shared_keys
        for url in urls
    )


def _signature(key: str, url: str, params: Mapping[str, str], algorithm="HMAC_SHA1") -> str:
    payload = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(key.encode(), payload.encode(), _ALGORITHMS[algorithm]).digest()
    return base64.b64encode(digest).decode()


def compute_signature(
    *, auth_token: str, url: str, params: Mapping[str, str], algorithm: str = "HMAC_SHA1"
) -> str:
    """The signature Twilio would send for `url` + `params` (tests and the sandbox use it)."""
    if algorithm == "HMAC_SHA1":
        return RequestValidator(auth_token).compute_signature(url, dict(params))
    return _signature(auth_token, url, params, algorithm)
