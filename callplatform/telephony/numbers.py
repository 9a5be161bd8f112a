"""Phone numbers: search what Twilio offers, price it, buy, reconfigure, list and release.

Every function takes the credentials of the account that owns (or will own) the numbers
- a user's subaccount - and returns plain values from `types`; failures are
`TelephonyError`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from twilio.base.exceptions import TwilioException

from .client import make_client
from .errors import InvalidNumber, NotFound, TelephonyError, translate, translating
from .paging import collect, page_size_for
from .types import AccountCredentials, AvailableNumber, NumberPrice, OwnedNumber, WebhookUrls


def _capability(capabilities: Any, name: str) -> bool:
    # Twilio spells them "voice"/"SMS"/"MMS" for available numbers and in lower case for
    # owned ones; compare without case.
    if not isinstance(capabilities, dict):
        return False
    return bool({str(k).lower(): v for k, v in capabilities.items()}.get(name))


def _available(record: Any) -> AvailableNumber:
    return AvailableNumber(
        phone_number=record.phone_number or "",
        friendly_name=record.friendly_name or record.phone_number or "",
        locality=record.locality or "",
        region=record.region or "",
        country=record.iso_country or "",
        voice=_capability(record.capabilities, "voice"),
        sms=_capability(record.capabilities, "sms"),
        mms=_capability(record.capabilities, "mms"),
    )


def _owned(record: Any) -> OwnedNumber:
    return OwnedNumber(
        sid=record.sid,
        phone_number=record.phone_number or "",
        friendly_name=record.friendly_name or record.phone_number or "",
        voice=_capability(record.capabilities, "voice"),
        sms=_capability(record.capabilities, "sms"),
        mms=_capability(record.capabilities, "mms"),
        voice_url=record.voice_url or None,
        account_sid=record.account_sid,
    )


def _url_params(urls: WebhookUrls) -> dict[str, str]:
    # POST everywhere: webhook parameters then travel in the body, which is what our
    # signature check and handlers expect.
    return {
        "voice_url": urls.voice_url,
        "voice_method": "POST",
        "status_callback": urls.status_callback,
        "status_callback_method": "POST",
        "sms_url": urls.sms_url,
        "sms_method": "POST",
    }


@translating
def search_numbers(
    creds: AccountCredentials,
    *,
    country: str = "US",
    area_code: str | None = None,
    contains: str | None = None,
    toll_free: bool = False,
    limit: int = 20,
) -> list[AvailableNumber]:
    """Numbers for sale in `country` (local or toll-free), optionally filtered."""
    filters: dict[str, Any] = {}
    if area_code:
        if not (area_code.isdigit() and len(area_code) == 3):
            raise InvalidNumber(
                f"bad area code {area_code!r}", user_message="An area code is three digits."
            )
        filters["area_code"] = int(area_code)
    if contains:
        filters["contains"] = contains
    country_numbers = make_client(creds).api.v2010.account.available_phone_numbers(country.upper())
    resource = country_numbers.toll_free if toll_free else country_numbers.local
    # Only numbers that can take calls: this is a calling product.
    first = resource.page(voice_enabled=True, page_size=page_size_for(limit), **filters)
    return [_available(record) for record in collect(first, limit=limit)]


@translating
def number_price(
    creds: AccountCredentials, *, country: str = "US", toll_free: bool = False
) -> NumberPrice:
    """Twilio's current monthly price of a local or toll-free number (Pricing v1 API)."""
    wanted = "toll free" if toll_free else "local"
    prices = make_client(creds).pricing.v1.phone_numbers.countries(country.upper()).fetch()
    for entry in prices.phone_number_prices or []:
        if str(entry.get("number_type", "")).lower() == wanted:
            try:
                monthly = Decimal(str(entry.get("current_price") or entry.get("base_price")))
            except InvalidOperation as exc:
                raise TelephonyError(f"unreadable price {entry!r}") from exc
            return NumberPrice(monthly=monthly, unit=(prices.price_unit or "USD").upper())
    raise NotFound(
        f"no {wanted} number price for {country}",
        user_message=f"There are no {wanted} numbers for sale in {country.upper()}.",
    )


@translating
def buy_number(
    creds: AccountCredentials, *, phone_number: str, friendly_name: str, urls: WebhookUrls
) -> OwnedNumber:
    """Buy `phone_number` into the account, wired to our webhooks."""
    record = make_client(creds).api.v2010.account.incoming_phone_numbers.create(
        phone_number=phone_number, friendly_name=friendly_name, **_url_params(urls)
    )
    return _owned(record)


@translating
def update_number(
    creds: AccountCredentials,
    *,
    sid: str,
    friendly_name: str | None = None,
    urls: WebhookUrls | None = None,
) -> OwnedNumber:
    """Rename a number and/or point it at new webhook URLs; returns its new state."""
    number = make_client(creds).api.v2010.account.incoming_phone_numbers(sid)
    changes: dict[str, str] = _url_params(urls) if urls else {}
    if friendly_name is not None:
        changes["friendly_name"] = friendly_name
    return _owned(number.update(**changes) if changes else number.fetch())


@translating
def release_number(creds: AccountCredentials, *, sid: str) -> None:
    """Give a number back to Twilio. Releasing one already gone is not an error."""
    try:
        make_client(creds).api.v2010.account.incoming_phone_numbers(sid).delete()
    except TwilioException as exc:
        # A 404 means an earlier attempt (or Twilio's console) already released it.
        if not isinstance(translate(exc), NotFound):
            raise


@translating
def list_numbers(
    creds: AccountCredentials, *, phone_number: str | None = None, limit: int = 1000
) -> list[OwnedNumber]:
    """Numbers the account owns (all, or those matching `phone_number`)."""
    numbers = make_client(creds).api.v2010.account.incoming_phone_numbers
    params: dict[str, Any] = {"phone_number": phone_number} if phone_number else {}
    first = numbers.page(page_size=page_size_for(limit), **params)
    return [_owned(record) for record in collect(first, limit=limit)]
