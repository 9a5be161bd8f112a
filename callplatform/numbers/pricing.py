"""Number prices from Twilio's Pricing API (cached briefly) and the countries we sell."""

from __future__ import annotations

import threading
import time

import phonenumbers

from callplatform.common.phone_service import twilio_call
from callplatform.telephony import client, gateway
from callplatform.telephony.types import AccountCredentials, NumberPrice

COUNTRIES = {"US": "United States", "CA": "Canada"}
CACHE_SECONDS = 3600
_cache: dict[tuple[str, bool], tuple[float, NumberPrice]] = {}
_lock = threading.Lock()


def platform_credentials() -> AccountCredentials:
    return client.platform_credentials()


def country_of(e164: str) -> str:
    region = phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    return region if region in COUNTRIES else "US"


def monthly_price(*, country: str, toll_free: bool) -> NumberPrice:
    key = (country, toll_free)
    with _lock:
        hit = _cache.get(key)
    if hit and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    with twilio_call():
        price = gateway.number_price(platform_credentials(), country=country, toll_free=toll_free)
    with _lock:
        _cache[key] = (time.monotonic(), price)
    return price


def clear_cache() -> None:
    with _lock:
        _cache.clear()
