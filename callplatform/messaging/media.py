"""Pictures and files of MMS: what may be attached, where Twilio fetches what we send
(a URL signed for that one item: Twilio cannot log in), fetching what we receive with the
account's credentials (the sweep retries a failed fetch), and handing the bytes only to
those who may see the thread."""

from __future__ import annotations

import hashlib
import hmac

from sqlmodel import Session, col, select

from callplatform.common import ids
from callplatform.common.errors import NotFound, ValidationError
from callplatform.config import get_settings
from callplatform.db import end_transaction
from callplatform.messaging import threads
from callplatform.models import Conversation, Message, MessageMedia, UserPhoneNumber
from callplatform.models.base import utcnow
from callplatform.telephony import gateway
from callplatform.telephony.errors import NotFound as GoneAtTwilio
from callplatform.telephony.errors import TelephonyError
from callplatform.tenancy import subaccounts
from callplatform.workspaces.access import Member

# What carriers deliver widely (Twilio's "accepted content types" for MMS), 5 MB a text.
CONTENT_TYPES = {"image/jpeg", "image/png", "image/gif", "application/pdf"}
MAX_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 10
MAX_FETCH_ATTEMPTS = 5
OUTBOUND_PATH = "/api/media/outbound"


def check_attachments(attachments) -> list[tuple[str, bytes]]:
    """[(content type, bytes)] as sent, or a ValidationError saying what is wrong."""
    items = list(attachments or ())
    if len(items) > MAX_ITEMS:
        raise ValidationError(f"Attach at most {MAX_ITEMS} files.", field="media")
    for content_type, data in items:
        if content_type not in CONTENT_TYPES:
            raise ValidationError("Attach a JPEG, PNG or GIF picture, or a PDF.", field="media")
        if not isinstance(data, bytes) or not data:
            raise ValidationError("An attached file is empty.", field="media")
    if sum(len(data) for _, data in items) > MAX_BYTES:
        raise ValidationError("Attachments can be at most 5 MB in all.", field="media")
    return items


def _signature(media_id: int) -> str:
    key = get_settings().derived_key("outbound-media")
    return hmac.new(key, str(media_id).encode(), hashlib.sha256).hexdigest()[:32]


def public_url(media_id: int) -> str:
    """Where Twilio fetches an item we send (it cannot log in: the URL is the key)."""
    base = get_settings().base_url
    return f"{base}{OUTBOUND_PATH}/{media_id}/{_signature(media_id)}"


def outbound_content(*, session: Session, media_id, signature: str) -> tuple[bytes, str] | None:
    """The bytes behind a signed URL we gave Twilio; None for anything else."""
    if not ids.is_id(media_id) or not hmac.compare_digest(signature, _signature(int(media_id))):
        return None
    item = session.get(MessageMedia, media_id)
    return (item.content, item.content_type) if item and item.content else None


def content_for(*, session: Session, member: Member, media_id) -> tuple[bytes, str]:
    """An item's bytes for someone who may see its thread; NotFound otherwise (or while
    it has not been fetched from Twilio yet)."""
    item = session.get(MessageMedia, media_id) if ids.is_id(media_id) else None
    message = session.get(Message, item.message_id) if item else None
    visible = (
        message is not None
        and session.exec(
            select(Conversation.id).where(
                Conversation.id == message.conversation_id, threads.visible_to(member)
            )
        ).first()
    )
    if not visible or not item.content:
        raise NotFound("That picture isn't available.")
    return item.content, item.content_type


def media_of(*, session: Session, message_ids: list[int]) -> dict[int, list[int]]:
    """{message id: [media ids]} for a thread's messages (ids only: bytes on request)."""
    found: dict[int, list[int]] = {}
    rows = session.exec(
        select(MessageMedia.message_id, MessageMedia.id)
        .where(col(MessageMedia.message_id).in_(message_ids))
        .order_by(MessageMedia.id)
    ).all()
    for message_id, media_id in rows:
        found.setdefault(message_id, []).append(media_id)
    return found


def fetch_inbound(*, session: Session, limit: int = 50) -> int:
    """Fetch received pictures not stored yet (each tried a few times); returns how many
    arrived."""
    pending = session.exec(
        select(MessageMedia)
        .where(
            col(MessageMedia.content).is_(None),
            MessageMedia.source_url != "",
            MessageMedia.fetch_attempts < MAX_FETCH_ATTEMPTS,
        )
        .order_by(MessageMedia.id)
        .limit(limit)
    ).all()
    fetched = 0
    for item in pending:
        number = session.get(UserPhoneNumber, session.get(Message, item.message_id).number_id)
        creds = subaccounts.get_credentials(session=session, workspace_id=number.workspace_id)
        item.fetch_attempts += 1
        session.add(item)
        end_transaction(session)  # the attempt counts even if this worker dies now
        try:
            data, content_type = gateway.fetch_message_media(creds, url=item.source_url)
        except GoneAtTwilio:
            item.fetch_attempts = MAX_FETCH_ATTEMPTS
            session.add(item)
            session.commit()
            continue
        except TelephonyError:
            continue
        item.content, item.content_type = data[:MAX_BYTES], content_type[:100]
        message = session.get(Message, item.message_id)
        message.updated_at = utcnow()  # its thread is told: the picture can be shown now
        session.add_all([item, message])
        session.commit()
        fetched += 1
    return fetched
