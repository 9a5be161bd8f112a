"""Twilio webhook signatures (X-Twilio-Signature): checking ours, computing for peers.

Twilio signs the full URL it requested plus the POST parameters with the auth token of
the account the webhook belongs to; `RequestValidator` implements that scheme.
"""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator


def is_valid_signature(
    *, auth_token: str, url: str, params: Mapping[str, str], signature: str | None
) -> bool:
    """Whether `signature` is Twilio's signature of `url` + `params` under `auth_token`."""
    if not signature or not auth_token:
        return False
    return RequestValidator(auth_token).validate(url, dict(params), signature)


def compute_signature(*, auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """The signature Twilio would send for `url` + `params` (tests and the sandbox use it)."""
    return RequestValidator(auth_token).compute_signature(url, dict(params))
