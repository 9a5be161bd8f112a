"""Where texts go out from: every subaccount sends through one Messaging Service of its
own (US carriers deliver business texts from local numbers only once A2P 10DLC brand and
campaign registration is attached to a service), made on the first text; each number
joins its sender pool before its first text. And what a number still needs before it
can text the US."""

from __future__ import annotations

from sqlmodel import Session, update

from callplatform.common import phone_format, webhook_urls
from callplatform.common.phone_service import twilio_call
from callplatform.db import end_transaction
from callplatform.models import TwilioSubaccount, UserPhoneNumber
from callplatform.numbers import pricing
from callplatform.telephony import gateway
from callplatform.telephony.types import AccountCredentials
from callplatform.tenancy import subaccounts


def sender_for(*, session: Session, number: UserPhoneNumber) -> tuple[AccountCredentials, str]:
    """(credentials, Messaging Service SID) to send from `number`, made and joined on
    first need. No lock is held while Twilio answers; a failure raises PhoneServiceError
    and nothing is half-kept (a service made but not stored is made again)."""
    account = subaccounts.get_subaccount(session=session, workspace_id=number.workspace_id)
    creds = subaccounts.get_credentials(session=session, workspace_id=number.workspace_id)
    service_sid = account.messaging_service_sid
    if service_sid is None:
        end_transaction(session)
        with twilio_call():
            made = gateway.create_messaging_service(
                creds, friendly_name="CallPlatform texts",
                status_callback=webhook_urls.url(webhook_urls.SMS_STATUS_PATH),
            )  # fmt: skip
        # Kept only if no concurrent first text stored one already (then theirs is used).
        session.exec(
            update(TwilioSubaccount)
            .where(
                TwilioSubaccount.id == account.id, TwilioSubaccount.messaging_service_sid.is_(None)
            )
            .values(messaging_service_sid=made.sid)
        )
        session.commit()
        session.refresh(account)
        service_sid = account.messaging_service_sid
    if number.messaging_service_sid != service_sid:
        end_transaction(session)
        with twilio_call():
            gateway.add_number_to_service(
                creds, service_sid=service_sid, number_sid=number.phone_number_sid
            )
        number.messaging_service_sid = service_sid
        session.add(number)
        session.commit()
    return creds, service_sid


def us_texting_needs(number: UserPhoneNumber) -> str:
    """What the number still needs before US carriers deliver its texts ("" when
    nothing). Registration is not tracked yet, so a US number always needs it."""
    if not number.sms_capable:
        return "This number can't send texts."
    if pricing.country_of(number.phone_number) != "US":
        return ""
    if phone_format.is_toll_free(number.phone_number):
        return "Texting the US needs toll-free verification of this number."
    return "Texting the US needs A2P 10DLC registration (your brand and a campaign)."
