"""Who a message goes out from: the account's own number (`From`), or a Messaging
Service's sender pool (`MessagingServiceSid`), refused with Twilio's codes otherwise."""

from __future__ import annotations

from sqlmodel import select

from twilio_sandbox.database import read_scope
from twilio_sandbox.http import TwilioError
from twilio_sandbox.message_models import SandboxMessagingService, SandboxServiceNumber
from twilio_sandbox.models import SandboxNumber


def resolve(s, account_sid: str, form: dict) -> tuple[str | None, str | None, list[str]]:
    """(From, MessagingServiceSid, the numbers the message may go out from)."""
    from_, service_sid = form.get("From") or None, form.get("MessagingServiceSid") or None
    if from_ is None and service_sid is None:
        raise TwilioError(
            400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message"
        )
    pool: list[str] = []
    if service_sid:
        if not (service_sid.startswith("MG") and len(service_sid) == 34):
            raise TwilioError(400, 21705, "The Messaging Service is invalid")
        service = s.get(SandboxMessagingService, service_sid)
        if service is None or service.account_sid != account_sid:
            raise TwilioError(400, 21701, "The Messaging Service does not exist")
        pool = service_pool(service_sid)
        if not pool:
            raise TwilioError(400, 21704, "The Messaging Service contains no phone numbers")
    if from_:
        number = s.exec(
            select(SandboxNumber).where(
                SandboxNumber.account_sid == account_sid,
                SandboxNumber.phone_number == from_,
                SandboxNumber.released.is_(False),
            )
        ).first()
        if number is None or number.toll_free:  # the sandbox's toll-free numbers are voice-only
            raise TwilioError(
                400,
                21606,
                f"The 'From' phone number provided ({from_}) is not a valid message-capable "
                "Twilio phone number for this destination.",
            )
        pool = [from_]
    return from_, service_sid, pool


def service_callback(service_sid: str | None) -> str | None:
    if not service_sid:
        return None
    with read_scope() as s:
        return s.get(SandboxMessagingService, service_sid).status_callback


def service_pool(service_sid: str) -> list[str]:
    """The phone numbers in a Messaging Service's sender pool, oldest first."""
    with read_scope() as s:
        query = (
            select(SandboxNumber.phone_number)
            .join(SandboxServiceNumber, SandboxServiceNumber.number_sid == SandboxNumber.sid)
            .where(
                SandboxServiceNumber.service_sid == service_sid, SandboxNumber.released.is_(False)
            )
            .order_by(SandboxServiceNumber.date_created)
        )
        return list(s.exec(query))
