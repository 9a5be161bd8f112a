"""Accepting a Twilio webhook: the form must carry a valid X-Twilio-Signature computed
over the URL we registered, with the auth token of the account its AccountSid names
(or, under a Webhook Rule, with one of our shared keys).

The AccountSid is therefore proven: services scope every row a webhook touches to that
account. We registered each URL with Twilio's connection overrides as a fragment
(`webhook_urls.RETRY_OVERRIDES`); Twilio's documentation does not settle whether the
signed URL keeps it, so a valid signature over either form is accepted (both prove
knowledge of the key).

Tokens are cached for a minute (a subaccount's token otherwise costs a query and a
decryption on every webhook), in a bounded cache: made-up AccountSids cannot grow it.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import parse_qsl

from cachetools import TTLCache
from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from callplatform.common import webhook_urls
from callplatform.config import get_settings
from callplatform.db import read_scope
from callplatform.telephony.client import platform_credentials
from callplatform.telephony.signatures import (
    SETTINGS_HEADER,
    is_valid_for_any_url,
    is_valid_keyed_signature,
    signature_algorithm,
)
from callplatform.tenancy import subaccounts

TOKEN_TTL_SECONDS = 60
TOKEN_CACHE_SIZE = 10_000
_lock = threading.Lock()


def new_token_cache(timer=time.monotonic) -> TTLCache:
    return TTLCache(maxsize=TOKEN_CACHE_SIZE, ttl=TOKEN_TTL_SECONDS, timer=timer)


_tokens: TTLCache[str, str | None] = new_token_cache()


def _cached_token(account_sid: str) -> tuple[bool, str | None]:
    """(known, token): whether the cache holds this account, and its token if any."""
    with _lock:
        return account_sid in _tokens, _tokens.get(account_sid)


def _token_for(account_sid: str) -> str | None:
    """The auth token of the platform's account or one of our subaccounts; None for any
    other AccountSid."""
    known, token = _cached_token(account_sid)
    if known:
        return token
    platform = platform_credentials()
    if account_sid == platform.sid:
        token = platform.auth_token
    else:
        with read_scope() as session:
            creds = subaccounts.get_credentials_by_account(session=session, account_sid=account_sid)
        token = creds.auth_token if creds else None
    with _lock:
        _tokens[account_sid] = token
    return token


def clear_token_cache() -> None:
    with _lock:
        _tokens.clear()


def public_url(request: Request) -> str:
    """The URL Twilio signed: our public base, not whatever host a proxy forwarded."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{get_settings().base_url}{request.url.path}{query}"


def signed_urls(request: Request) -> tuple[str, str]:
    """The two forms of the URL we registered: as requested, and with its fragment."""
    url = public_url(request)
    return url, url + webhook_urls.RETRY_OVERRIDES


async def _form_params(request: Request) -> dict[str, str]:
    """Twilio posts url-encoded forms; parsing the body directly measured much faster
    than Starlette's general form parser (benchmarks/bench_webhooks.py)."""
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        body = (await request.body()).decode("utf-8", errors="replace")
        return dict(parse_qsl(body, keep_blank_values=True))
    form = await request.form()
    return {key: str(value) for key, value in form.items()}


def _is_signed(request: Request, params: dict[str, str], token: str) -> bool:
    signature = request.headers.get("x-twilio-signature")
    settings_header = request.headers.get(SETTINGS_HEADER)
    if settings_header is None:
        return is_valid_for_any_url(
            auth_token=token, urls=signed_urls(request), params=params, signature=signature
        )
    # A Webhook Rule signed it: only with a shared key we configured (none: refused).
    algorithm = signature_algorithm(settings_header)
    keys = get_settings().webhook_shared_keys
    return bool(algorithm and keys) and is_valid_keyed_signature(
        shared_keys=keys,
        algorithm=algorithm,
        urls=signed_urls(request),
        params=params,
        signature=signature,
    )


async def signed_params(request: Request) -> dict[str, str] | None:
    """The webhook's parameters if Twilio signed them for one of our accounts, else None."""
    params = await _form_params(request)
    account_sid = params.get("AccountSid", "")
    if not request.headers.get("x-twilio-signature") or not account_sid.startswith("AC"):
        return None
    known, token = _cached_token(account_sid)
    if not known:  # a query and a decryption: off the event loop
        token = await run_in_threadpool(_token_for, account_sid)
    if not token or not _is_signed(request, params, token):
        return None
    return params


async def verified_params(request: Request) -> dict[str, str]:
    """The webhook's parameters, or 403 if Twilio did not sign them."""
    params = await signed_params(request)
    if params is None:
        raise HTTPException(status_code=403, detail="Invalid Twilio signature")
    return params
