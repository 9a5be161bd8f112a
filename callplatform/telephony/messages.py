"""Messages at Twilio: send an SMS or MMS (from a number, or through a Messaging
Service's sender pool), read one back, keep Messaging Services and their numbers, and
what a segment costs (Pricing v1).

Every function takes the credentials of the account that sends (a user's subaccount) and
returns plain values from `types`; failures are `TelephonyError` (21610, a recipient who
texted STOP, is `RecipientOptedOut`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from .calls import _decimal, _int, get_binary
from .client import make_client
from .errors import NotFound, TelephonyError, translate, translating
from .types import AccountCredentials, MessageInfo, MessagePrice, MessagingServiceInfo

ALREADY_IN_THIS_SERVICE = 21710
MAX_MEDIA_BYTES = 5 * 1024 * 1024 + 65536  # Twilio's 5 MB per message, and some slack
MAX_MEDIA = 10  # Twilio takes up to ten MediaUrl per message


def _message(record: Any) -> MessageInfo:
    return MessageInfo(
        sid=record.sid,
        account_sid=record.account_sid,
        status=record.status,
        direction=record.direction or "",
        from_number=record.from_ or None,
        to_number=record.to or "",
        body=record.body or "",
        num_segments=_int(record.num_segments),
        num_media=_int(record.num_media) or 0,
        price=_decimal(record.price),
        price_unit=(record.price_unit or "USD").upper(),
        error_code=_int(record.error_code),
        messaging_service_sid=record.messaging_service_sid or None,
    )


@translating
def send_message(
    creds: AccountCredentials,
    *,
    to: str,
    body: str = "",
    from_: str | None = None,
    messaging_service_sid: str | None = None,
    media_urls: Sequence[str] = (),
    status_callback: str | None = None,
) -> MessageInfo:
    """Send `body` (and pictures at `media_urls`, which Twilio fetches) to `to`, from the
    account's number `from_` or through the Messaging Service (both: the service's
    features with that sender). Status changes go to `status_callback`."""
    if not (from_ or messaging_service_sid):
        raise ValueError("send_message needs from_ or messaging_service_sid")
    if not (body or media_urls):
        raise ValueError("send_message needs a body or media")
    if len(media_urls) > MAX_MEDIA:
        raise ValueError(f"at most {MAX_MEDIA} media per message")
    params: dict[str, Any] = {"to": to}
    for name, value in (
        ("body", body),
        ("from_", from_),
        ("messaging_service_sid", messaging_service_sid),
        ("media_url", list(media_urls)),
        ("status_callback", status_callback),
    ):
        if value:
            params[name] = value
    return _message(make_client(creds).api.v2010.accounts(creds.sid).messages.create(**params))


@translating
def fetch_message(creds: AccountCredentials, *, sid: str) -> MessageInfo:
    return _message(make_client(creds).api.v2010.accounts(creds.sid).messages(sid).fetch())


@translating
def create_messaging_service(
    creds: AccountCredentials,
    *,
    friendly_name: str,
    inbound_request_url: str | None = None,
    status_callback: str | None = None,
) -> MessagingServiceInfo:
    """A Messaging Service in the account. Without `inbound_request_url` its numbers'
    own SmsUrl keep receiving; with it, that URL receives for every number in it."""
    params: dict[str, Any] = {"friendly_name": friendly_name}
    if inbound_request_url:
        params["inbound_request_url"] = inbound_request_url
        params["inbound_method"] = "POST"
    if status_callback:
        params["status_callback"] = status_callback
    service = make_client(creds).messaging.v1.services.create(**params)
    return MessagingServiceInfo(
        sid=service.sid, account_sid=service.account_sid, friendly_name=service.friendly_name
    )


def add_number_to_service(creds: AccountCredentials, *, service_sid: str, number_sid: str):
    """Put the account's number (PN...) in the service's sender pool. A number already in
    this service is what was asked for, so a repeat succeeds."""
    try:
        make_client(creds).messaging.v1.services(service_sid).phone_numbers.create(
            phone_number_sid=number_sid
        )
    except Exception as exc:  # noqa: BLE001 - translated below
        error = translate(exc)
        if error.code != ALREADY_IN_THIS_SERVICE:
            raise error from exc


def _prices_for(entries: Any, number_type: str) -> list[Decimal]:
    found = []
    for entry in entries or []:
        if str(entry.get("number_type", "")).lower() == number_type:
            try:
                found.append(Decimal(str(entry.get("current_price") or entry.get("base_price"))))
            except InvalidOperation as exc:
                raise TelephonyError(f"unreadable price {entry!r}") from exc
    return found


@translating
def message_price(
    creds: AccountCredentials, *, country: str = "US", toll_free: bool = False
) -> MessagePrice:
    """Twilio's current SMS price per segment for a local or toll-free number."""
    wanted = "toll free" if toll_free else "local"
    prices = make_client(creds).pricing.v1.messaging.countries(country.upper()).fetch()
    outbound = [
        price
        for carrier in prices.outbound_sms_prices or []
        for price in _prices_for(carrier.get("prices"), wanted)
    ]
    inbound = _prices_for(prices.inbound_sms_prices, wanted)
    if not outbound or not inbound:
        raise NotFound(
            f"no {wanted} SMS price for {country}",
            user_message=f"Texts from {wanted} numbers are not priced for {country.upper()}.",
        )
    return MessagePrice(
        outbound_per_segment=max(outbound),
        inbound_per_segment=max(inbound),
        unit=(prices.price_unit or "USD").upper(),
    )


def fetch_message_media(creds: AccountCredentials, *, url: str) -> tuple[bytes, str]:
    """An inbound MMS's picture (bytes, content type), from the MediaUrl Twilio gave, with
    the account's credentials. Only a media URL of this account's own messages on
    Twilio's API is fetched: a webhook's URL never sends our credentials elsewhere
    (anything else is NotFound, as a picture that is gone: nothing to retry). Twilio
    answers with a redirect to storage, which `requests` follows without the credentials
    (another host); no more than a message may carry is read."""
    parts = urlsplit(url)
    prefix = f"/2010-04-01/Accounts/{creds.sid}/Messages/"
    if (
        parts.scheme != "https"
        or parts.hostname != "api.twilio.com"
        or not (
            parts.path.startswith(prefix) and "/Media/" in parts.path and ".." not in parts.path
        )
    ):
        raise NotFound("not a media URL of this account")
    content, kind = get_binary(creds, url, missing="media not found", max_bytes=MAX_MEDIA_BYTES)
    return content, kind or "application/octet-stream"
