"""Twilio's JSON shapes for messages, their media, Messaging Services and their numbers
(2010-04-01 and messaging v1), and v1's list envelope."""

from __future__ import annotations

from datetime import datetime

from twilio_sandbox.message_models import (
    SandboxMedia,
    SandboxMessage,
    SandboxMessagingService,
    SandboxServiceNumber,
)
from twilio_sandbox.models import SandboxNumber
from twilio_sandbox.shapes import API, rfc2822

MESSAGING = "https://messaging.twilio.com/v1"


def iso(value: datetime | None) -> str | None:
    """v1 APIs write times as ISO 8601 in UTC ("2015-07-30T20:00:00Z")."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def message(m: SandboxMessage) -> dict:
    uri = f"/{API}/Accounts/{m.account_sid}/Messages/{m.sid}"
    return {
        "account_sid": m.account_sid,
        "api_version": API,
        "body": m.body,
        "date_created": rfc2822(m.date_created),
        "date_sent": rfc2822(m.date_sent),
        "date_updated": rfc2822(m.date_updated),
        "direction": m.direction,
        "error_code": m.error_code,
        "error_message": m.error_message,
        "from": m.from_,
        "messaging_service_sid": m.messaging_service_sid,
        "num_media": str(m.num_media),
        "num_segments": str(m.num_segments),
        "price": f"{m.price:.5f}" if m.price is not None else None,
        "price_unit": m.price_unit,
        "sid": m.sid,
        "status": m.status,
        "subresource_uris": {
            "media": f"{uri}/Media.json",
            "feedback": f"{uri}/Feedback.json",
        },
        "to": m.to,
        "uri": f"{uri}.json",
    }


def media(me: SandboxMedia) -> dict:
    return {
        "account_sid": me.account_sid,
        "content_type": me.content_type,
        "date_created": rfc2822(me.date_created),
        "date_updated": rfc2822(me.date_created),
        "parent_sid": me.message_sid,
        "sid": me.sid,
        "uri": f"/{API}/Accounts/{me.account_sid}/Messages/{me.message_sid}/Media/{me.sid}.json",
    }


def media_url(me: SandboxMedia) -> str:
    """Where the content is fetched, as Twilio hands it to webhooks (no extension)."""
    uri = f"/{API}/Accounts/{me.account_sid}/Messages/{me.message_sid}/Media/{me.sid}"
    return f"https://api.twilio.com{uri}"


def service(sv: SandboxMessagingService) -> dict:
    url = f"{MESSAGING}/Services/{sv.sid}"
    return {
        "account_sid": sv.account_sid,
        "area_code_geomatch": True,
        "date_created": iso(sv.date_created),
        "date_updated": iso(sv.date_updated),
        "fallback_method": "POST",
        "fallback_to_long_code": True,
        "fallback_url": None,
        "friendly_name": sv.friendly_name,
        "inbound_method": sv.inbound_method,
        "inbound_request_url": sv.inbound_request_url,
        "links": {
            "phone_numbers": f"{url}/PhoneNumbers",
            "short_codes": f"{url}/ShortCodes",
            "alpha_senders": f"{url}/AlphaSenders",
            "us_app_to_person": f"{url}/Compliance/Usa2p",
            "us_app_to_person_usecases": f"{url}/Compliance/Usa2p/Usecases",
            "channel_senders": f"{url}/ChannelSenders",
        },
        "mms_converter": True,
        "scan_message_content": "inherit",
        "sid": sv.sid,
        "smart_encoding": True,
        "status_callback": sv.status_callback,
        "sticky_sender": True,
        "synchronous_validation": False,
        "url": url,
        "us_app_to_person_registered": False,
        "use_inbound_webhook_on_number": sv.use_inbound_webhook_on_number,
        "usecase": sv.usecase,
        "validity_period": 14400,
    }


def service_number(link: SandboxServiceNumber, number: SandboxNumber) -> dict:
    capabilities = ["Voice"] + ([] if number.toll_free else ["SMS", "MMS"])
    return {
        "account_sid": link.account_sid,
        "capabilities": capabilities,
        "country_code": "US",
        "date_created": iso(link.date_created),
        "date_updated": iso(link.date_created),
        "phone_number": number.phone_number,
        "service_sid": link.service_sid,
        "sid": number.sid,
        "url": f"{MESSAGING}/Services/{link.service_sid}/PhoneNumbers/{number.sid}",
    }


def v1_page(request, key: str, items: list, *, page_no: int, page_size: int, has_next: bool):
    """The v1 APIs' list envelope: the items and a `meta` with absolute page URLs."""
    path = request.url.path[len(request.scope.get("root_path", "")) :]
    base = f"https://messaging.twilio.com{path}?PageSize={page_size}"
    return {
        key: items,
        "meta": {
            "first_page_url": f"{base}&Page=0",
            "key": key,
            "next_page_url": f"{base}&Page={page_no + 1}" if has_next else None,
            "page": page_no,
            "page_size": page_size,
            "previous_page_url": f"{base}&Page={page_no - 1}" if page_no > 0 else None,
            "url": f"{base}&Page={page_no}",
        },
    }
