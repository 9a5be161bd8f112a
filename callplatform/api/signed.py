"""Accepting a Twilio webhook: the form must carry a valid X-Twilio-Signature computed
over our public URL with the auth token of the account its AccountSid names.

Tokens are cached for a minute: this runs on every webhook, and a subaccount's token
otherwise costs a query and a decryption each time."""

from __future__ import annotations

import threading
import time
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request

from callplatform.config import get_settings
from callplatform.db import read_scope
from callplatform.services import subaccounts
from callplatform.telephony.client import platform_credentials
from callplatform.telephony.signatures import is_valid_signature

TOKEN_TTL_SECONDS = 60
_tokens: dict[str, tuple[float, str | None]] = {}
_lock = threading.Lock()


def _token_for(account_sid: str) -> str | None:
    now = time.monotonic()
    with _lock:
        hit = _tokens.get(account_sid)
    if hit and now - hit[0] < TOKEN_TTL_SECONDS:
        return hit[1]
    platform = platform_credentials()
    if account_sid == platform.sid:
        token = platform.auth_token
    else:
        with read_scope() as session:
            creds = subaccounts.get_credentials_by_account(session=session, account_sid=account_sid)
        token = creds.auth_token if creds else None
    with _lock:
        _tokens[account_sid] = (now, token)
    return token


def clear_token_cache() -> None:
    with _lock:
        _tokens.clear()


def public_url(request: Request) -> str:
    """The URL Twilio signed: our public base, not whatever host a proxy forwarded."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{get_settings().base_url}{request.url.path}{query}"


async def _form_params(request: Request) -> dict[str, str]:
    """Twilio posts url-encoded forms; parsing the body directly measured much faster
    than Starlette's general form parser (benchmarks/bench_webhooks.py)."""
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        body = (await request.body()).decode("utf-8", errors="replace")
        return dict(parse_qsl(body, keep_blank_values=True))
    form = await request.form()
    return {key: str(value) for key, value in form.items()}


async def signed_params(request: Request) -> dict[str, str] | None:
    """The webhook's parameters if Twilio signed them, else None."""
    params = await _form_params(request)
    signature = request.headers.get("x-twilio-signature")
    account_sid = params.get("AccountSid", "")
    token = _token_for(account_sid) if signature and account_sid.startswith("AC") else None
    if not token or not is_valid_signature(
        auth_token=token, url=public_url(request), params=params, signature=signature
    ):
        return None
    return params


async def verified_params(request: Request) -> dict[str, str]:
    """The webhook's parameters, or 403 if Twilio did not sign them."""
    params = await signed_params(request)
    if params is None:
        raise HTTPException(status_code=403, detail="Invalid Twilio signature")
    return params
