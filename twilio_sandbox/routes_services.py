"""Messaging Services (messaging v1), as far as the platform uses them: create, fetch,
list, and the phone numbers in each one's sender pool; and what messages cost (pricing v1)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from twilio_sandbox import message_shapes as shapes
from twilio_sandbox import rates
from twilio_sandbox.credentials import new_sid
from twilio_sandbox.database import read_scope, session_scope
from twilio_sandbox.http import TwilioError, authorize, endpoint, page_params
from twilio_sandbox.message_models import SandboxMessagingService, SandboxServiceNumber
from twilio_sandbox.models import SandboxNumber

TRUE = ("true", "True", "1")


def _service(s, account_sid: str, sid: str) -> SandboxMessagingService:
    service = s.get(SandboxMessagingService, sid)
    if service is None or service.account_sid != account_sid:
        raise TwilioError(404, 20404, f"The requested resource /Services/{sid} was not found")
    return service


def _page(request, s, query, key: str, shape):
    page_no, size = page_params(request)
    rows = list(s.exec(query.offset(page_no * size).limit(size + 1)))
    return shapes.v1_page(
        request,
        key,
        [shape(r) for r in rows[:size]],
        page_no=page_no,
        page_size=size,
        has_next=len(rows) > size,
    )


@endpoint
def services(request, path, form):
    if request.method == "GET":
        with read_scope() as s:
            account = authorize(request, s, None)
            query = select(SandboxMessagingService).where(
                SandboxMessagingService.account_sid == account.sid
            )
            query = query.order_by(col(SandboxMessagingService.date_created).desc())
            return 200, _page(request, s, query, "services", shapes.service)
    if not form.get("FriendlyName"):
        raise TwilioError(400, 20001, "Missing required parameter FriendlyName in the post body")
    with session_scope() as s:
        account = authorize(request, s, None)
        service = SandboxMessagingService(
            sid=new_sid("MG"),
            account_sid=account.sid,
            friendly_name=form["FriendlyName"][:64],
            inbound_request_url=form.get("InboundRequestUrl") or None,
            inbound_method=form.get("InboundMethod", "POST"),
            status_callback=form.get("StatusCallback") or None,
            use_inbound_webhook_on_number=form.get("UseInboundWebhookOnNumber") in TRUE,
            usecase=form.get("Usecase", "undeclared")[:40],
        )
        s.add(service)
        return 201, shapes.service(service)


@endpoint
def service(request, path, form):
    with read_scope() as s:
        account = authorize(request, s, None)
        return 200, shapes.service(_service(s, account.sid, path["mg"]))


@endpoint
def service_numbers(request, path, form):
    if request.method == "GET":
        with read_scope() as s:
            account = authorize(request, s, None)
            _service(s, account.sid, path["mg"])
            query = (
                select(SandboxServiceNumber, SandboxNumber)
                .join(SandboxNumber, SandboxNumber.sid == SandboxServiceNumber.number_sid)
                .where(SandboxServiceNumber.service_sid == path["mg"])
                .order_by(SandboxServiceNumber.date_created)
            )
            return 200, _page(
                request, s, query, "phone_numbers", lambda row: shapes.service_number(*row)
            )
    with session_scope() as s:
        account = authorize(request, s, None)
        _service(s, account.sid, path["mg"])
        number = s.get(SandboxNumber, form.get("PhoneNumberSid", ""))
        if number is None or number.account_sid != account.sid or number.released:
            raise TwilioError(404, 20404, "The requested resource /PhoneNumbers was not found")
        existing = s.get(SandboxServiceNumber, number.sid)
        if existing is not None:
            if existing.service_sid == path["mg"]:
                raise TwilioError(400, 21710, "Phone Number is already in the Messaging Service")
            raise TwilioError(
                400, 21712, "Phone Number is associated with another Messaging Service"
            )
        link = SandboxServiceNumber(
            number_sid=number.sid, service_sid=path["mg"], account_sid=account.sid
        )
        s.add(link)
        try:
            s.flush()
        except IntegrityError:  # added by a concurrent request meanwhile
            raise TwilioError(
                400, 21710, "Phone Number is already in a Messaging Service"
            ) from None
        return 201, shapes.service_number(link, number)


COUNTRIES = {"US": "United States", "CA": "Canada"}  # where the sandbox delivers texts
# Twilio lists a US price per carrier (mobile network); the sandbox's are all the same.
CARRIERS = (
    ("AT&T Wireless", "310", "410"),
    ("T-Mobile USA, Inc.", "310", "260"),
    ("Verizon Wireless", "311", "480"),
)


@endpoint
def messaging_prices(request, path, form):
    """Pricing v1's price of an SMS segment to and from a country's numbers."""
    with read_scope() as s:
        authorize(request, s, None)
    iso = path["iso"].upper()
    if iso not in COUNTRIES:
        raise TwilioError(404, 20404, f"The requested resource /Countries/{iso} was not found")
    price = str(rates.SMS_PER_SEGMENT)
    by_type = [
        {"number_type": kind, "base_price": price, "current_price": price}
        for kind in ("local", "toll free")
    ]
    return 200, {
        "country": COUNTRIES[iso],
        "iso_country": iso,
        "outbound_sms_prices": [
            {"carrier": name, "mcc": mcc, "mnc": mnc, "prices": by_type}
            for name, mcc, mnc in CARRIERS
        ],
        "inbound_sms_prices": by_type,
        "price_unit": "USD",
        "url": f"https://pricing.twilio.com/v1/Messaging/Countries/{iso}",
    }
