"""Twilio's JSON shapes for the sandbox's resources, and its errors and list envelopes."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime

from starlette.responses import JSONResponse

from twilio_sandbox import catalog
from twilio_sandbox.models import (
    SandboxAccount,
    SandboxApplication,
    SandboxCall,
    SandboxNumber,
    SandboxRecording,
)

API = "2010-04-01"


def rfc2822(value: datetime | None) -> str | None:
    return format_datetime(value, usegmt=False) if value else None


def error(status: int, code: int, message: str) -> JSONResponse:
    return JSONResponse(
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
        status_code=status,
    )


def page(request, key: str, items: list, *, page_no: int, page_size: int, has_next: bool):
    """Twilio's list envelope; URIs are relative to the API root, as Twilio's are."""
    path = request.url.path[len(request.scope.get("root_path", "")) :]
    query = [
        (k, v)
        for k, v in request.query_params.multi_items()
        if k not in ("Page", "PageSize", "PageToken")
    ]
    base = path + "?" + "&".join(f"{k}={v}" for k, v in query + [("PageSize", str(page_size))])
    uri = lambda n: f"{base}&Page={n}"  # noqa: E731
    start = page_no * page_size
    return {
        key: items,
        "uri": uri(page_no),
        "first_page_uri": uri(0),
        "next_page_uri": uri(page_no + 1) if has_next else None,
        "previous_page_uri": uri(page_no - 1) if page_no > 0 else None,
        "page": page_no,
        "page_size": page_size,
        "start": start,
        "end": start + max(len(items) - 1, 0),
    }


def account(a: SandboxAccount) -> dict:
    uri = f"/{API}/Accounts/{a.sid}"
    return {
        "auth_token": a.auth_token,
        "date_created": rfc2822(a.date_created),
        "date_updated": rfc2822(a.date_updated),
        "friendly_name": a.friendly_name,
        "owner_account_sid": a.owner_account_sid or a.sid,
        "sid": a.sid,
        "status": a.status,
        "subresource_uris": {
            "incoming_phone_numbers": f"{uri}/IncomingPhoneNumbers.json",
            "calls": f"{uri}/Calls.json",
            "recordings": f"{uri}/Recordings.json",
            "applications": f"{uri}/Applications.json",
        },
        "type": "Full",
        "uri": f"{uri}.json",
    }


def number(n: SandboxNumber) -> dict:
    return {
        "account_sid": n.account_sid,
        "address_sid": None,
        "address_requirements": "none",
        "api_version": API,
        "beta": False,
        "capabilities": {
            "voice": True,
            "sms": not n.toll_free,
            "mms": not n.toll_free,
            "fax": False,
        },
        "date_created": rfc2822(n.date_created),
        "date_updated": rfc2822(n.date_updated),
        "friendly_name": n.friendly_name or catalog.friendly(n.phone_number),
        "identity_sid": None,
        "phone_number": n.phone_number,
        "origin": "twilio",
        "sid": n.sid,
        "sms_application_sid": None,
        "sms_fallback_method": "POST",
        "sms_fallback_url": "",
        "sms_method": n.sms_method,
        "sms_url": n.sms_url or "",
        "status_callback": n.status_callback or "",
        "status_callback_method": n.status_callback_method,
        "trunk_sid": None,
        "uri": f"/{API}/Accounts/{n.account_sid}/IncomingPhoneNumbers/{n.sid}.json",
        "voice_receive_mode": "voice",
        "voice_application_sid": n.voice_application_sid,
        "voice_caller_id_lookup": False,
        "voice_fallback_method": "POST",
        "voice_fallback_url": "",
        "voice_method": n.voice_method,
        "voice_url": n.voice_url or "",
        "emergency_status": "Inactive",
        "emergency_address_sid": None,
        "emergency_address_status": "unregistered",
        "bundle_sid": None,
        "status": "in-use",
        "type": "tollfree" if n.toll_free else "local",
    }


def application(a: SandboxApplication) -> dict:
    return {
        "account_sid": a.account_sid,
        "api_version": API,
        "date_created": rfc2822(a.date_created),
        "date_updated": rfc2822(a.date_updated),
        "friendly_name": a.friendly_name,
        "message_status_callback": None,
        "sid": a.sid,
        "sms_fallback_method": "POST",
        "sms_fallback_url": None,
        "sms_method": "POST",
        "sms_status_callback": None,
        "sms_url": None,
        "status_callback": a.status_callback,
        "status_callback_method": a.status_callback_method,
        "uri": f"/{API}/Accounts/{a.account_sid}/Applications/{a.sid}.json",
        "voice_caller_id_lookup": False,
        "voice_fallback_method": "POST",
        "voice_fallback_url": None,
        "voice_method": a.voice_method,
        "voice_url": a.voice_url,
        "public_application_connect_enabled": False,
    }


def call(c: SandboxCall) -> dict:
    uri = f"/{API}/Accounts/{c.account_sid}/Calls/{c.sid}"
    return {
        "sid": c.sid,
        "date_created": rfc2822(c.date_created),
        "date_updated": rfc2822(c.date_updated),
        "parent_call_sid": c.parent_call_sid,
        "account_sid": c.account_sid,
        "to": c.to,
        "to_formatted": c.to,
        "from": c.from_,
        "from_formatted": c.from_,
        "phone_number_sid": c.phone_number_sid,
        "status": c.status,
        "start_time": rfc2822(c.start_time),
        "end_time": rfc2822(c.end_time),
        "duration": str(c.duration) if c.duration is not None else None,
        "price": f"{c.price:.5f}" if c.price is not None else None,
        "price_unit": c.price_unit,
        "direction": c.direction,
        "answered_by": None,
        "api_version": API,
        "forwarded_from": None,
        "group_sid": None,
        "caller_name": None,
        "queue_time": "0",
        "trunk_sid": None,
        "uri": f"{uri}.json",
        "subresource_uris": {"recordings": f"{uri}/Recordings.json"},
    }


def recording(r: SandboxRecording, *, price_as_number: bool = False) -> dict:
    """Twilio's spec types `price` as a string on /Recordings but a number on
    /Calls/{Sid}/Recordings; each endpoint answers as its schema says."""
    uri = f"/{API}/Accounts/{r.account_sid}/Recordings/{r.sid}"
    return {
        "account_sid": r.account_sid,
        "api_version": API,
        "call_sid": r.call_sid,
        "conference_sid": None,
        "date_created": rfc2822(r.date_created),
        "date_updated": rfc2822(r.date_created),
        "start_time": rfc2822(r.date_created),
        "duration": str(r.duration),
        "sid": r.sid,
        "price": (float(r.price) if price_as_number else f"{r.price:.5f}")
        if r.price is not None
        else None,
        "price_unit": r.price_unit,
        "status": r.status,
        "channels": 1,
        "source": "RecordVerb",
        "error_code": None,
        "uri": f"{uri}.json",
        "encryption_details": None,
        "subresource_uris": {},
        "media_url": f"https://api.twilio.com{uri}",
    }


def new_key(k, *, secret: str) -> dict:
    return {
        "sid": k.sid,
        "friendly_name": k.friendly_name,
        "date_created": rfc2822(k.date_created),
        "date_updated": rfc2822(k.date_created),
        "secret": secret,
    }
