"""Sending a text: only from a number the sender may use, to a destination the calling
rules allow, never to a party that opted out, within the workspace's message rate and
the number owner's spend cap. The message is stored before Twilio is asked, so a crash
half-way leaves a message marked as not sent, never one sent and forgotten."""

from __future__ import annotations

from sqlmodel import Session

from callplatform.accounts import rate_limit
from callplatform.billing import spend
from callplatform.calls import destinations
from callplatform.common import text_input, webhook_urls
from callplatform.common.errors import PhoneServiceError, ValidationError
from callplatform.common.phone_service import twilio_call
from callplatform.config import get_settings
from callplatform.db import end_transaction
from callplatform.messaging import media, segments, senders, threads
from callplatform.models import Message, MessageMedia, OptOut, User
from callplatform.models.base import utcnow
from callplatform.telephony import gateway
from callplatform.telephony.errors import RecipientOptedOut
from callplatform.workspaces.access import Member, usable_number

MAX_BODY = 1600  # Twilio's limit for a message body


def check_body(body, *, with_media: bool = False) -> str:
    if not isinstance(body, str) or (not body.strip() and not with_media):
        raise ValidationError("Write a message first.", field="body")
    if len(body) > MAX_BODY:
        raise ValidationError(f"A text can be at most {MAX_BODY} characters.", field="body")
    if text_input.has_control(body.replace("\n", "").replace("\t", "")):
        raise ValidationError("The message has characters that can't be sent.", field="body")
    return body


def opted_out(*, session: Session, number_id: int, party: str) -> bool:
    return session.get(OptOut, (number_id, party)) is not None


def refused_opt_out(party: str) -> ValidationError:
    return ValidationError(
        "They replied STOP to this number, so texts to them are blocked until they text START.",
        field="to",
    )


def send_message(
    *, session: Session, member: Member, user: User, number_id, to, body, attachments=()
) -> Message:
    """Send `body` from one of the member's numbers to `to`; returns the stored message
    (status as Twilio answered). Refusals raise and store nothing."""
    number = usable_number(session=session, member=member, number_id=number_id)
    if user.is_suspended:
        raise ValidationError("Your account is suspended, so texts are disabled.")
    destination = destinations.check_destination(str(to or ""), field="to", texting=True)
    attachments = media.check_attachments(attachments)
    body = check_body(body, with_media=bool(attachments))
    if opted_out(session=session, number_id=number.id, party=destination):
        raise refused_opt_out(destination)
    spend.check_can_spend(session=session, workspace_id=member.workspace_id, user_id=member.user_id)
    rate_limit.check(
        key=f"messages:{member.workspace_id}", limit=get_settings().messages_per_minute
    )
    creds, service_sid = senders.sender_for(session=session, number=number)
    now = utcnow()
    conversation = threads.open_thread(
        session=session,
        workspace_id=member.workspace_id,
        number_id=number.id,
        other_party=destination,
    )
    message = Message(
        workspace_id=member.workspace_id, conversation_id=conversation.id, number_id=number.id,
        direction="outbound", from_number=number.phone_number, to_number=destination, body=body,
        segments=segments.count_segments(body).segments, media_count=len(attachments),
        status="queued", sent_by=user.id, created_at=now, updated_at=now,
    )  # fmt: skip
    threads.note_message(conversation, message, at=now)
    session.add_all([conversation, message])
    session.flush()
    items = [MessageMedia(message_id=message.id, content_type=kind, content=data)
             for kind, data in attachments]  # fmt: skip
    session.add_all(items)
    session.flush()
    end_transaction(session)  # stored (queued) before Twilio is asked
    try:
        with twilio_call(field="body"):
            info = gateway.send_message(
                creds, to=destination, from_=number.phone_number, body=body,
                messaging_service_sid=service_sid,
                media_urls=[media.public_url(item.id) for item in items],
                status_callback=webhook_urls.url(webhook_urls.SMS_STATUS_PATH),
            )  # fmt: skip
    except PhoneServiceError as exc:
        _failed(session, message, exc)
        raise
    message.message_sid, message.status = info.sid, _status(info.status)
    message.segments = info.num_segments or message.segments
    message.updated_at = utcnow()
    session.add(message)
    session.commit()
    return message


def _status(twilio_status: str) -> str:
    return "queued" if twilio_status in ("accepted", "scheduled") else twilio_status


def _failed(session: Session, message: Message, exc: PhoneServiceError) -> None:
    """Twilio refused (or could not be reached): the stored message says it was not sent."""
    cause = exc.__cause__
    if getattr(cause, "outcome_unknown", False):
        return  # it may have gone out: stays queued until its status callback says
    message.status = "failed"
    code = getattr(cause, "code", None)
    message.error_code = code if isinstance(code, int) else None
    if isinstance(cause, RecipientOptedOut):  # Twilio knew first: remember it here too
        message.error_code = 21610
        if not opted_out(session=session, number_id=message.number_id, party=message.to_number):
            session.add(OptOut(number_id=message.number_id, other_party=message.to_number))
    message.updated_at = utcnow()
    session.add(message)
    session.commit()
