"""The API's shapes for texts, and the rows they are made from (the one place that
decides what of a message or a thread a client sees)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from callplatform.api.schemas import Call, PathId, Text
from callplatform.common import phone_format
from callplatform.common.errors import ValidationError
from callplatform.messaging import opt_out
from callplatform.models import Conversation, Message


class Attachment(BaseModel):
    content_type: Text(100) = Field(
        description="image/jpeg, image/png, image/gif or application/pdf."
    )
    data: str = Field(max_length=7_000_000, description="The file, base64-encoded.")

    def decoded(self) -> tuple[str, bytes]:
        try:
            return self.content_type, base64.b64decode(self.data, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError("An attachment is not valid base64.", field="media") from None


class SendMessageRequest(BaseModel):
    from_number_id: PathId = Field(description="The id of one of your numbers: the sender.")
    to: Text(32) = Field(description="Who to text, in any common format.")
    body: str = Field("", max_length=1600, description="The text (at most 1,600 characters).")
    media: list[Attachment] = Field(
        [], max_length=10, description="Pictures (an MMS), 5 MB in all."
    )


class MessageOut(BaseModel):
    id: int
    conversation_id: int
    direction: str = Field(description="inbound or outbound.")
    from_number: str
    to_number: str
    body: str
    segments: int
    media_count: int
    media_ids: list[int] = Field([], description="GET /api/messages/media/{id} for each.")
    status: str = Field(
        description="queued, sending, sent, delivered, undelivered, failed; received."
    )
    error_code: int | None
    error: str | None = Field(description="Why it was not delivered, in words.")
    charge: str | None = Field(None, description="What it cost you (once Twilio priced it).")
    created_at: datetime
    other_party_name: str | None = Field(
        None, description="The workspace's contact holding the other party's number, if any."
    )


class MessagePage(BaseModel):
    messages: list[MessageOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class ConversationOut(BaseModel):
    id: int
    number_id: int
    other_party: str
    other_party_display: str
    other_party_name: str | None = Field(
        None, description="The workspace's contact holding that number, if any."
    )
    last_message_at: datetime
    last_preview: str
    unread: int


class Thread(BaseModel):
    conversation: ConversationOut
    messages: list[MessageOut]
    calls: list[Call] = Field([], description="Calls with the same person on the same number.")


def other_party(row: Message) -> str:
    return row.from_number if row.direction == "inbound" else row.to_number


def message(
    row: Message,
    media_ids: list[int] | None = None,
    charge: Decimal | None = None,
    names: dict[str, str] | None = None,
) -> MessageOut:
    """`names`: {E.164: contact name} (contacts.lookup.names_for): the other party's."""
    failed = row.status in ("undelivered", "failed")
    return MessageOut(
        id=row.id, conversation_id=row.conversation_id, direction=row.direction,
        from_number=row.from_number, to_number=row.to_number, body=row.body,
        segments=row.segments, media_count=row.media_count, media_ids=media_ids or [],
        status=row.status,
        error_code=row.error_code,
        error=opt_out.error_words(row.error_code) if failed else None,
        created_at=row.created_at, charge=None if charge is None else str(charge),
        other_party_name=(names or {}).get(other_party(row)),
    )  # fmt: skip


def conversation(row: Conversation, names=None) -> ConversationOut:
    return ConversationOut(
        id=row.id, number_id=row.number_id, other_party=row.other_party,
        other_party_display=phone_format.display(row.other_party),
        other_party_name=(names or {}).get(row.other_party),
        last_message_at=row.last_message_at, last_preview=row.last_preview, unread=row.unread,
    )  # fmt: skip
