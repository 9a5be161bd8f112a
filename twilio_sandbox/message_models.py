"""The sandbox's messaging tables: messages and their media, Messaging Services with
their numbers, and who has opted out of which number (Twilio's STOP blocklist)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import LargeBinary, Numeric, Text, UniqueConstraint
from sqlmodel import Field

from twilio_sandbox.database import SandboxTable
from twilio_sandbox.models import now


class SandboxMessage(SandboxTable, table=True):
    __tablename__ = "sandbox_messages"

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(max_length=34, index=True)
    messaging_service_sid: str | None = Field(default=None, max_length=34)
    from_: str | None = Field(default=None, max_length=64)
    to: str = Field(default="", max_length=64, index=True)
    body: str = Field(default="", sa_type=Text)
    status: str = Field(default="queued", max_length=16)
    direction: str = Field(default="outbound-api", max_length=16)
    num_segments: int = 1
    num_media: int = 0
    price: Decimal | None = Field(default=None, sa_type=Numeric(14, 5), nullable=True)
    price_unit: str = Field(default="USD", max_length=3)
    error_code: int | None = None
    error_message: str | None = Field(default=None, max_length=200)
    status_callback: str | None = Field(default=None, max_length=500)
    date_sent: datetime | None = None
    date_created: datetime = Field(default_factory=now, index=True)
    date_updated: datetime = Field(default_factory=now)


class SandboxMedia(SandboxTable, table=True):
    """A message's attachment, kept as Twilio keeps it (fetched once, served with auth)."""

    __tablename__ = "sandbox_media"

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(max_length=34, index=True)
    message_sid: str = Field(max_length=34, index=True)
    source_url: str = Field(default="", max_length=2000)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    content: bytes | None = Field(default=None, sa_type=LargeBinary)
    date_created: datetime = Field(default_factory=now)


class SandboxMessagingService(SandboxTable, table=True):
    __tablename__ = "sandbox_messaging_services"

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(max_length=34, index=True)
    friendly_name: str = Field(default="", max_length=64)
    inbound_request_url: str | None = Field(default=None, max_length=500)
    inbound_method: str = Field(default="POST", max_length=8)
    status_callback: str | None = Field(default=None, max_length=500)
    use_inbound_webhook_on_number: bool = False
    usecase: str = Field(default="undeclared", max_length=40)
    date_created: datetime = Field(default_factory=now)
    date_updated: datetime = Field(default_factory=now)


class SandboxServiceNumber(SandboxTable, table=True):
    """A number in a Messaging Service's sender pool; a number is in one service at most."""

    __tablename__ = "sandbox_service_numbers"

    number_sid: str = Field(primary_key=True, max_length=34)
    service_sid: str = Field(max_length=34, index=True)
    account_sid: str = Field(max_length=34)
    date_created: datetime = Field(default_factory=now)


class SandboxOptOut(SandboxTable, table=True):
    """`party` texted STOP to `number`: sends from that number to them are refused (21610)
    until they text START."""

    __tablename__ = "sandbox_opt_outs"
    __table_args__ = (UniqueConstraint("number", "party", name="uq_sandbox_opt_out"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20)
    party: str = Field(max_length=64)
    date_created: datetime = Field(default_factory=now)
