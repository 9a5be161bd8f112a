"""TwiML applications (the voice endpoint browser calls use) and usage records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from .client import make_client
from .errors import translating
from .paging import collect, page_size_for
from .types import AccountCredentials


@translating
def create_twiml_app(
    creds: AccountCredentials, *, friendly_name: str, voice_url: str, status_callback: str
) -> str:
    """Create a TwiML app pointing at our voice webhook; returns its SID (AP...)."""
    app = make_client(creds).api.v2010.account.applications.create(
        friendly_name=friendly_name,
        voice_url=voice_url,
        voice_method="POST",
        status_callback=status_callback,
        status_callback_method="POST",
    )
    return app.sid


def _decimal(value: Any) -> Decimal:
    # Usage Records type prices as JSON numbers, which the SDK hands over as floats;
    # str() and a round to Twilio's five places give back the exact amount.
    if value in (None, ""):
        return Decimal("0")
    return Decimal(str(value)).quantize(Decimal("0.00001"))


@translating
def fetch_usage_records(
    creds: AccountCredentials,
    *,
    start_date: date,
    end_date: date,
    category: str | None = None,
    limit: int = 1000,
) -> list[dict]:
    """Twilio's usage totals per category between two dates (inclusive).

    Each record is {"category", "usage" (Decimal), "usage_unit", "price" (Decimal),
    "price_unit"}.
    """
    params: dict[str, Any] = {"start_date": start_date, "end_date": end_date}
    if category:
        params["category"] = category
    records = make_client(creds).api.v2010.account.usage.records
    first = records.page(page_size=page_size_for(limit), **params)
    return [
        {
            "category": record.category,
            "usage": _decimal(record.usage),
            "usage_unit": record.usage_unit or "",
            "price": _decimal(record.price),
            "price_unit": (record.price_unit or "usd").upper(),
        }
        for record in collect(first, limit=limit)
    ]
