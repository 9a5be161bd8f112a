"""Click-to-call (the public API's `POST /api/twilio/call`): ring the user's own phone
from one of their numbers, and when they pick up, connect the destination.

Both legs are phone calls the user pays for, so both numbers pass the platform's rules
before anything is placed; the connect webhook checks the destination again, because
the cap or the rules may have changed while the user's phone was ringing."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from callplatform.calls import destinations, voice_webhook
from callplatform.common import ids, webhook_urls
from callplatform.common.errors import ValidationError
from callplatform.common.phone_service import twilio_call
from callplatform.db import end_transaction
from callplatform.models import TwilioCall
from callplatform.telephony import gateway, twiml
from callplatform.tenancy import subaccounts
from callplatform.workspaces.access import Member

CONNECT_PATH = "/api/twilio/voice/connect"


def place_call(*, session: Session, member: Member, caller_id: str, my_phone: str, to: str):
    """Start the call; returns the logged call (the leg that rings the member's phone)."""
    number, destination = voice_webhook.check_outbound_or_log(
        session=session, member=member, caller_id=caller_id, to=to
    )
    own_phone = destinations.check_destination(my_phone, field="my_phone")
    if own_phone in (destination, number.phone_number):
        raise ValidationError(
            "Your phone must be a different number from the caller ID and the destination.",
            field="my_phone",
        )
    creds = subaccounts.get_credentials(session=session, workspace_id=member.workspace_id)
    end_transaction(session)
    # The first leg rings the user's own phone: Twilio's "To" is `my_phone` here.
    with twilio_call(fields={"To": "my_phone", "From": "caller_id"}):
        info = gateway.place_call(
            creds,
            to=own_phone,
            from_=number.phone_number,
            # Signed by Twilio with the rest: who asked, so the connect acts as them.
            url=webhook_urls.url(CONNECT_PATH, to=destination, by=member.user_id),
            status_callback=webhook_urls.url(webhook_urls.STATUS_PATH),
        )
    return _log_call(session=session, number=number, sid=info.sid, to=own_phone, by=member.user_id)


def _log_call(*, session: Session, number, sid: str, to: str, by: int) -> TwilioCall:
    """The call row, so the API can answer with its id at once; its status callbacks
    may have created it a moment before."""
    row = TwilioCall(
        workspace_id=number.workspace_id,
        handled_by=by,
        number_id=number.id,
        call_sid=sid,
        direction="outbound",
        from_number=number.phone_number,
        to_number=to,
        status="queued",
        last_sequence=-1,
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        row = session.exec(select(TwilioCall).where(TwilioCall.call_sid == sid)).one()
    return row


def connect_twiml(*, session: Session, params: Mapping[str, str], to: str, by: str) -> str:
    """The member picked up: dial the destination from the number that rang them, as
    them (`by`, from the URL Twilio signed; only a member of the signing workspace)."""
    member = voice_webhook.signing_member(session=session, params=params, user_id=ids.as_id(by))
    if member is None:
        return twiml.refuse(message="This call is not allowed.")
    return voice_webhook.dial_out(
        session=session, member=member, caller_id=params.get("From", ""), to=to
    )
