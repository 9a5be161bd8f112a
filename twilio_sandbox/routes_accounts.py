"""Accounts (subaccounts), available numbers, incoming numbers, applications, pricing and
usage records: the REST resources the numbers features use."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from twilio_sandbox import catalog, rates, shapes
from twilio_sandbox.credentials import new_auth_token, new_sid
from twilio_sandbox.database import read_scope, session_scope
from twilio_sandbox.http import TwilioError, authorize, endpoint, list_page
from twilio_sandbox.models import (
    SandboxAccount,
    SandboxApiKey,
    SandboxApplication,
    SandboxNumber,
    SandboxUsage,
    now,
)

ACCOUNT_STATUSES = {"active", "suspended", "closed"}


@endpoint
def create_account(request, path, form):
    with session_scope() as s:
        caller = authorize(request, s, None)
        if caller.owner_account_sid:
            raise TwilioError(403, 20403, "Subaccounts cannot create subaccounts")
        account = SandboxAccount(
            sid=new_sid("AC"),
            auth_token=new_auth_token(),
            friendly_name=form.get("FriendlyName", "")[:64],
            owner_account_sid=caller.sid,
        )
        s.add(account)
        return 201, shapes.account(account)


@endpoint
def list_accounts(request, path, form):
    with read_scope() as s:
        caller = authorize(request, s, None)
        query = (
            select(SandboxAccount)
            .where(
                (SandboxAccount.sid == caller.sid)
                | (SandboxAccount.owner_account_sid == caller.sid)
            )
            .order_by(SandboxAccount.date_created)
        )
        return 200, list_page(request, s, query, "accounts", shapes.account)


@endpoint
def account(request, path, form):
    with session_scope() as s:
        target = authorize(request, s, path["sid"], fetching_account=True)
        status = form.get("Status")
        if status:
            if status not in ACCOUNT_STATUSES:
                raise TwilioError(400, 20001, f"Invalid Status {status}")
            if target.status == "closed" or not target.owner_account_sid:
                raise TwilioError(400, 20001, "This account's status cannot be changed")
            target.status, target.date_updated = status, now()
        if "FriendlyName" in form:
            target.friendly_name = form["FriendlyName"][:64]
        s.add(target)
        return 200, shapes.account(target)


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
def applications(request, path, form):
    with session_scope() as s:
        authorize(request, s, path["sid"])
        if request.method == "GET":
            query = select(SandboxApplication).where(SandboxApplication.account_sid == path["sid"])
            return 200, list_page(
                request,
                s,
                query.order_by(SandboxApplication.date_created),
                "applications",
                shapes.application,
            )
        app = SandboxApplication(
            sid=new_sid("AP"),
            account_sid=path["sid"],
            friendly_name=form.get("FriendlyName", "")[:64],
            voice_url=form.get("VoiceUrl"),
            voice_method=form.get("VoiceMethod", "POST"),
            status_callback=form.get("StatusCallback"),
            status_callback_method=form.get("StatusCallbackMethod", "POST"),
        )
        s.add(app)
        return 201, shapes.application(app)


@endpoint
def application(request, path, form):
    with session_scope() as s:
        authorize(request, s, path["sid"])
        app = s.get(SandboxApplication, path["ap"])
        if app is None or app.account_sid != path["sid"]:
            raise TwilioError(404, 20404, "The requested resource was not found")
        if request.method == "DELETE":
            s.delete(app)
            return 204, None
        for param, attr in (
            ("FriendlyName", "friendly_name"),
            ("VoiceUrl", "voice_url"),
            ("StatusCallback", "status_callback"),
        ):
            if param in form:
                setattr(app, attr, form[param])
        s.add(app)
        return 200, shapes.application(app)


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


def _day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        raise TwilioError(400, 20001, f"Invalid date {text}") from None


@endpoint
def usage_records(request, path, form):
    q = request.query_params
    start = _day(q.get("StartDate"), date.today().replace(day=1))
    end = _day(q.get("EndDate"), date.today())
    with read_scope() as s:
        authorize(request, s, path["sid"])
        query = (
            select(
                SandboxUsage.category,
                func.sum(SandboxUsage.usage),
                func.max(SandboxUsage.usage_unit),
                func.sum(SandboxUsage.price),
            )
            .where(
                SandboxUsage.account_sid == path["sid"],
                SandboxUsage.at >= datetime.combine(start, time.min, tzinfo=UTC),
                SandboxUsage.at <= datetime.combine(end, time.max, tzinfo=UTC),
            )
            .group_by(SandboxUsage.category)
            .order_by(col(SandboxUsage.category))
        )
        if q.get("Category"):
            query = query.where(SandboxUsage.category == q["Category"])
        rows = list(s.exec(query))
    uri = f"/2010-04-01/Accounts/{path['sid']}/Usage/Records.json"
    items = [
        {
            "account_sid": path["sid"],
            "api_version": "2010-04-01",
            "as_of": shapes.rfc2822(now()),
            "category": cat,
            "count": str(usage),
            "count_unit": unit,
            "description": cat,
            "end_date": end.isoformat(),
            "price": float(round(price, 5)),
            "price_unit": "usd",
            "start_date": start.isoformat(),
            "subresource_uris": {},
            "uri": uri,
            "usage": str(usage),
            "usage_unit": unit,
        }
        for cat, usage, unit, price in rows
    ]
    return 200, {
        "usage_records": items,
        "uri": uri,
        "first_page_uri": uri,
        "next_page_uri": None,
        "previous_page_uri": None,
        "page": 0,
        "page_size": 50,
        "start": 0,
        "end": max(len(items) - 1, 0),
    }


@endpoint
def api_keys(request, path, form):
    """Create an API key (the Voice SDK's access tokens are signed with its secret)."""
    with session_scope() as s:
        authorize(request, s, path["sid"])
        key = SandboxApiKey(
            sid=new_sid("SK"),
            account_sid=path["sid"],
            friendly_name=form.get("FriendlyName", "")[:64],
        )
        s.add(key)
        return 201, shapes.new_key(key, secret=new_sid("")[:32])
