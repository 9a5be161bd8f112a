"""Available and incoming phone numbers, and their prices: the REST resources the numbers
features use."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from twilio_sandbox import catalog, rates, shapes
from twilio_sandbox.credentials import new_sid
from twilio_sandbox.database import read_scope, session_scope
from twilio_sandbox.http import TwilioError, authorize, endpoint, list_page
from twilio_sandbox.models import (
    SandboxNumber,
    SandboxUsage,
    now,
)


def _owned_numbers(s) -> set[str]:
    return set(s.exec(select(SandboxNumber.phone_number).where(SandboxNumber.released.is_(False))))


@endpoint
def available(request, path, form):
    kind = request.url.path.rsplit("/", 1)[-1].removesuffix(".json")
    if kind not in ("Local", "TollFree"):
        raise TwilioError(404, 20404, "The requested resource was not found")
    q = request.query_params
    area_code = q.get("AreaCode")
    if area_code and not (area_code.isdigit() and len(area_code) == 3):
        raise TwilioError(400, 21452, "AreaCode must be 3 digits")
    with read_scope() as s:
        authorize(request, s, path["sid"])
        items = catalog.offers(
            country=path["country"].upper(),
            area_code=area_code,
            contains=q.get("Contains"),
            toll_free=kind == "TollFree",
            owned=_owned_numbers(s),
            limit=min(int(q.get("PageSize", 30)), 100),
        )
    uri = f"/2010-04-01/Accounts/{path['sid']}/AvailablePhoneNumbers/{path['country']}/{kind}.json"
    return 200, {
        "available_phone_numbers": items,
        "uri": uri,
        "end": max(len(items) - 1, 0),
        "first_page_uri": uri,
        "next_page_uri": None,
        "page": 0,
        "page_size": len(items),
        "previous_page_uri": None,
        "start": 0,
    }


def _apply_number_fields(n: SandboxNumber, form: dict) -> None:
    for param, attr in (
        ("FriendlyName", "friendly_name"),
        ("VoiceUrl", "voice_url"),
        ("VoiceMethod", "voice_method"),
        ("StatusCallback", "status_callback"),
        ("StatusCallbackMethod", "status_callback_method"),
        ("SmsUrl", "sms_url"),
        ("SmsMethod", "sms_method"),
        ("VoiceApplicationSid", "voice_application_sid"),
    ):
        if param in form:
            setattr(n, attr, form[param][:500])
    n.date_updated = now()


@endpoint
def incoming_numbers(request, path, form):
    if request.method == "GET":
        with read_scope() as s:
            authorize(request, s, path["sid"])
            query = select(SandboxNumber).where(
                SandboxNumber.account_sid == path["sid"], SandboxNumber.released.is_(False)
            )
            if request.query_params.get("PhoneNumber"):
                query = query.where(
                    SandboxNumber.phone_number == request.query_params["PhoneNumber"]
                )
            if request.query_params.get("FriendlyName"):
                query = query.where(
                    SandboxNumber.friendly_name == request.query_params["FriendlyName"]
                )
            query = query.order_by(SandboxNumber.date_created, SandboxNumber.sid)
            return 200, list_page(request, s, query, "incoming_phone_numbers", shapes.number)
    with session_scope() as s:
        authorize(request, s, path["sid"])
        phone = form.get("PhoneNumber", "")
        if not phone and form.get("AreaCode"):
            offers = catalog.offers(
                country="US",
                area_code=form["AreaCode"],
                contains=None,
                toll_free=False,
                owned=_owned_numbers(s),
                limit=1,
            )
            phone = offers[0]["phone_number"] if offers else ""
        toll_free = phone[2:5] in catalog.TOLL_FREE_PREFIXES
        if not (
            phone.startswith("+1")
            and len(phone) == 12
            and phone[1:].isdigit()
            and phone[5:9] == "5550"
            and 100 <= int(phone[-4:]) < 200
        ):
            raise TwilioError(400, 21421, f"PhoneNumber {phone} is not valid.")
        n = SandboxNumber(
            sid=new_sid("PN"), account_sid=path["sid"], phone_number=phone, toll_free=toll_free
        )
        _apply_number_fields(n, form)
        s.add(n)
        try:
            s.flush()
        except IntegrityError:
            raise TwilioError(400, 21422, f"PhoneNumber {phone} is not available.") from None
        s.add(
            SandboxUsage(
                account_sid=n.account_sid,
                category="phonenumbers",
                usage=Decimal(1),
                usage_unit="numbers",
                price=rates.NUMBER_MONTHLY[toll_free],
            )
        )
        return 201, shapes.number(n)


@endpoint
def incoming_number(request, path, form):
    with session_scope() as s:
        authorize(request, s, path["sid"])
        n = s.get(SandboxNumber, path["pn"])
        if n is None or n.account_sid != path["sid"] or n.released:
            raise TwilioError(
                404, 20404, f"The requested resource {request.url.path} was not found"
            )
        if request.method == "DELETE":
            n.released, n.date_updated = True, now()
            s.add(n)
            return 204, None
        if request.method == "POST":
            _apply_number_fields(n, form)
            s.add(n)
        return 200, shapes.number(n)


@endpoint
def pricing(request, path, form):
    with read_scope() as s:
        authorize(request, s, None)
    iso = path["iso"].upper()
    prices = [
        {
            "number_type": "local",
            "base_price": str(rates.NUMBER_MONTHLY[False]),
            "current_price": str(rates.NUMBER_MONTHLY[False]),
        },
        {
            "number_type": "toll free",
            "base_price": str(rates.NUMBER_MONTHLY[True]),
            "current_price": str(rates.NUMBER_MONTHLY[True]),
        },
    ]
    return 200, {
        "country": {"US": "United States", "CA": "Canada"}.get(iso, iso),
        "iso_country": iso,
        "phone_number_prices": prices,
        "price_unit": "USD",
        "url": f"https://pricing.twilio.com/v1/PhoneNumbers/Countries/{iso}",
    }
