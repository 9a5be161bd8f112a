"""Text messages: one conversation per (our number, other party), its messages, and the
parties who told a number STOP. Keyed by workspace and number: who may see a thread is
who may use its number."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from callplatform.models.base import money_field, utcnow


class Conversation(SQLModel, table=True):
    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("number_id", "other_party", name="uq_conversations_number_party"),
        # The inbox: a workspace's threads, newest first.
        Index("ix_conversations_workspace_last", "workspace_id", "last_message_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspaces.id")
    number_id: int = Field(foreign_key="user_phone_numbers.id")
    other_party: str = Field(max_length=20)  # E.164
    last_message_at: datetime = Field(default_factory=utcnow)
    last_preview: str = Field(default="", max_length=160)
    # Messages received since someone who may see the thread last opened it.
    unread: int = 0


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_conversation_created", "conversation_id", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspaces.id", index=True)
    conversation_id: int = Field(foreign_key="conversations.id")
    number_id: int = Field(foreign_key="user_phone_numbers.id")
    direction: str = Field(max_length=16)  # inbound | outbound
    # Set when Twilio accepts (outbound) or from the webhook (inbound): absorbs retries.
    message_sid: str | None = Field(default=None, max_length=34, unique=True)
    from_number: str = Field(max_length=20)
    to_number: str = Field(max_length=20)
    body: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    segments: int = 1
    media_count: int = 0
    # queued, sending, sent, delivered, undelivered, failed (outbound); received (inbound)
    status: str = Field(default="queued", max_length=16)
    error_code: int | None = None
    sent_by: int | None = Field(default=None, foreign_key="users.id")
    price: Decimal | None = money_field()
    price_unit: str = Field(default="USD", max_length=3)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class OptOut(SQLModel, table=True):
    """A party that texted STOP to one of our numbers: nothing more is sent to them from
    it until they text START."""

    __tablename__ = "message_opt_outs"

    number_id: int = Field(foreign_key="user_phone_numbers.id", primary_key=True)
    other_party: str = Field(max_length=20, primary_key=True)
    opted_out_at: datetime = Field(default_factory=utcnow)


class MessageMedia(SQLModel, table=True):
    """A picture or file of an MMS. Inbound media is fetched from Twilio (with the
    account's credentials) and kept here; `content` stays empty until the fetch works."""

    __tablename__ = "message_media"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="messages.id", index=True)
    source_url: str = Field(default="", max_length=500)
    content_type: str = Field(default="", max_length=100)
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    fetch_attempts: int = 0
