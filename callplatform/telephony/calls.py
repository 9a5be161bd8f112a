"""Calls and recordings at Twilio: fetch (for the reconciliation sweep), list, hang up,
delete a recording, and download a recording's audio."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import requests

from .client import make_client, rewrite_url
from .errors import NotFound, TelephonyError, from_response, translate, translating
from .paging import collect, page_size_for
from .types import AccountCredentials, CallInfo, RecordingInfo


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _call(record: Any) -> CallInfo:
    return CallInfo(
        sid=record.sid,
        parent_call_sid=record.parent_call_sid,
        account_sid=record.account_sid,
        status=record.status,
        direction=record.direction or "",
        from_number=record._from or "",
        to_number=record.to or "",
        duration=_int(record.duration),
        price=_decimal(record.price),
        price_unit=(record.price_unit or "USD").upper(),
    )


def _recording(record: Any) -> RecordingInfo:
    return RecordingInfo(
        sid=record.sid,
        call_sid=record.call_sid,
        account_sid=record.account_sid,
        duration=_int(record.duration),
        status=record.status,
        price=_decimal(record.price),
        price_unit=(record.price_unit or "USD").upper(),
    )


@translating
def fetch_call(creds: AccountCredentials, *, sid: str) -> CallInfo:
    return _call(make_client(creds).api.v2010.accounts(creds.sid).calls(sid).fetch())


@translating
def list_calls(creds: AccountCredentials, *, status: str | None = None, limit: int = 200):
    calls = make_client(creds).api.v2010.accounts(creds.sid).calls
    first = (
        calls.page(status=status, page_size=page_size_for(limit))
        if status
        else calls.page(page_size=page_size_for(limit))
    )
    return [_call(r) for r in collect(first, limit=limit)]


@translating
def place_call(
    creds: AccountCredentials, *, to: str, from_: str, url: str, status_callback: str
) -> CallInfo:
    """Start a call from the account's number to `to`; Twilio asks `url` what to do
    once it is answered (click-to-call rings the user's own phone this way)."""
    return _call(
        make_client(creds)
        .api.v2010.accounts(creds.sid)
        .calls.create(
            to=to,
            from_=from_,
            url=url,
            status_callback=status_callback,
            status_callback_event=["initiated", "ringing", "answered", "completed"],
        )
    )


@translating
def hangup_call(creds: AccountCredentials, *, sid: str) -> CallInfo:
    return _call(
        make_client(creds).api.v2010.accounts(creds.sid).calls(sid).update(status="completed")
    )


@translating
def fetch_recording(creds: AccountCredentials, *, sid: str) -> RecordingInfo:
    return _recording(make_client(creds).api.v2010.accounts(creds.sid).recordings(sid).fetch())


@translating
def delete_recording(creds: AccountCredentials, *, sid: str) -> None:
    try:
        make_client(creds).api.v2010.accounts(creds.sid).recordings(sid).delete()
    except Exception as exc:  # noqa: BLE001 - translated below
        error = translate(exc)
        if not isinstance(error, NotFound):  # already gone is what we wanted
            raise error from exc


def fetch_recording_media(creds: AccountCredentials, *, sid: str) -> tuple[bytes, str]:
    """The recording's audio (WAV), fetched with the account's credentials."""
    url = f"https://api.twilio.com/2010-04-01/Accounts/{creds.sid}/Recordings/{sid}.wav"
    data, content_type = get_binary(creds, url, missing="That recording no longer exists.")
    return data, content_type or "audio/wav"


def get_binary(
    creds: AccountCredentials, url: str, *, missing: str, max_bytes: int | None = None
) -> tuple[bytes, str]:
    """(bytes, content type) of a Twilio URL, with the account's credentials and the same
    destination rewriting as the SDK. The SDK's Response decodes bodies to text, so
    binaries go through the client's `requests` session directly; with `max_bytes`, no
    more than that is read (a bigger body is a TelephonyError)."""
    http = make_client(creds).http_client
    target = rewrite_url(url, getattr(http, "base_url", None))
    limit = None if max_bytes is None else max_bytes + 1
    try:
        with (http.session or requests.Session()).get(
            target, auth=(creds.sid, creds.auth_token), timeout=http.timeout, stream=True
        ) as response:
            content = response.raw.read(limit, decode_content=True)
    except requests.RequestException as exc:
        raise translate(exc) from exc
    if response.status_code == 404:
        raise NotFound(missing, status=404)
    if response.status_code >= 400:
        raise from_response(
            response.status_code, content.decode(errors="replace"), response.headers
        )
    if max_bytes is not None and len(content) > max_bytes:
        raise TelephonyError(f"larger than {max_bytes} bytes: {url}")
    return content, response.headers.get("content-type", "").split(";")[0].strip()
