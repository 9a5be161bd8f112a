"""What Twilio tells us about texts: an inbound message (stored once per MessageSid, its
keywords obeyed) and an outbound message's status (forward only). Each touches only the
workspace whose subaccount signed the webhook."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from callplatform.messaging import opt_out, threads
from callplatform.messaging.sending import MAX_BODY
from callplatform.models import (
    Message,
    MessageMedia,
    NumberStatus,
    OptOut,
    TwilioSubaccount,
    UserPhoneNumber,
)
from callplatform.models.base import utcnow

MAX_MEDIA = 10
HELP_REPLY = "Reply STOP to stop receiving texts from this number, START to receive them again."
# An outbound message's statuses in the order they can happen: a late or repeated
# callback never moves one back.
RANK = {"queued": 0, "accepted": 0, "sending": 1, "sent": 2}
FINAL = {"delivered", "undelivered", "failed", "read"}


def _signer_workspace(session: Session, params: Mapping[str, str]) -> int | None:
    return session.exec(
        select(TwilioSubaccount.workspace_id).where(
            TwilioSubaccount.account_sid == params.get("AccountSid", "")
        )
    ).first()


def receive(*, session: Session, params: Mapping[str, str]) -> str | None:
    """Store an inbound text for the number it was sent to; the reply to send back, if
    any (HELP's). A number not ours (in the signer's workspace) gets nothing stored."""
    workspace_id = _signer_workspace(session, params)
    to, party = params.get("To", "")[:20], params.get("From", "")[:20]
    sid = params.get("MessageSid", "")[:34]
    number = session.exec(
        select(UserPhoneNumber).where(
            UserPhoneNumber.workspace_id == workspace_id,
            UserPhoneNumber.phone_number == to,
            UserPhoneNumber.status == NumberStatus.ACTIVE,
        )
    ).first()
    if workspace_id is None or number is None or not sid or not party:
        return None
    body = params.get("Body", "")[:MAX_BODY]
    keyword = opt_out.classify(body)
    reply = HELP_REPLY if keyword is opt_out.Keyword.HELP else None
    if session.exec(select(Message.id).where(Message.message_sid == sid)).first():
        return reply  # Twilio retried: stored already
    now = utcnow()
    conversation = threads.open_thread(
        session=session, workspace_id=workspace_id, number_id=number.id, other_party=party
    )
    media = _media(params)
    message = Message(
        workspace_id=workspace_id, conversation_id=conversation.id, number_id=number.id,
        direction="inbound", message_sid=sid, from_number=party, to_number=to, body=body,
        segments=_int(params.get("NumSegments"), 1), media_count=len(media),
        status="received", created_at=now, updated_at=now,
    )  # fmt: skip
    threads.note_message(conversation, message, at=now)
    session.add_all([conversation, message])
    try:
        session.flush()
    except IntegrityError:  # the same message, stored by a concurrent retry
        session.rollback()
        return reply
    session.add_all(MessageMedia(message_id=message.id, **m) for m in media)
    _obey(session, keyword, number_id=number.id, party=party)
    return reply


def _obey(session: Session, keyword, *, number_id: int, party: str) -> None:
    """STOP blocks further texts from this number to the party; START lifts it."""
    existing = session.get(OptOut, (number_id, party))
    if keyword is opt_out.Keyword.OPT_OUT and existing is None:
        session.add(OptOut(number_id=number_id, other_party=party))
    elif keyword is opt_out.Keyword.OPT_IN and existing is not None:
        session.delete(existing)


def _int(value, default: int) -> int:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 6 else default


def _media(params: Mapping[str, str]) -> list[dict]:
    count = min(_int(params.get("NumMedia"), 0), MAX_MEDIA)
    return [
        {
            "source_url": params.get(f"MediaUrl{i}", "")[:500],
            "content_type": params.get(f"MediaContentType{i}", "")[:100],
        }
        for i in range(count)
        if params.get(f"MediaUrl{i}", "").startswith("https://")
        or params.get(f"MediaUrl{i}", "").startswith("http://")
    ]


def apply_status(*, session: Session, params: Mapping[str, str]) -> Message | None:
    """An outbound message's new status, if it is the signer's and moves forward."""
    workspace_id = _signer_workspace(session, params)
    message = session.exec(
        select(Message).where(
            Message.message_sid == params.get("MessageSid", "")[:34],
            Message.workspace_id == workspace_id,
            Message.direction == "outbound",
        )
    ).first()
    status = params.get("MessageStatus", "")
    if message is None or not _moves_forward(message.status, status):
        return None
    message.status = status
    code = params.get("ErrorCode", "")
    if code.isdigit() and len(code) < 7:
        message.error_code = int(code)
        if message.error_code == 21610:
            _obey(session, opt_out.Keyword.OPT_OUT, number_id=message.number_id,
                  party=message.to_number)  # fmt: skip
    message.updated_at = utcnow()
    session.add(message)
    return message


def _moves_forward(current: str, new: str) -> bool:
    if current in FINAL or new not in RANK and new not in FINAL:
        return False
    return new in FINAL or RANK[new] > RANK.get(current, -1)
