"""The sandbox's own tables (prefixed `sandbox_`, in its own database): what Twilio
would hold for the platform's accounts, so the emulator's state survives a restart."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Index, Numeric, text
from sqlmodel import Field

from twilio_sandbox.database import SandboxTable


def now() -> datetime:
    return datetime.now(UTC)


def _money():
    return Field(default=None, sa_type=Numeric(14, 5), nullable=True)


class SandboxAccount(SandboxTable, table=True):
    __tablename__ = "sandbox_accounts"

    sid: str = Field(primary_key=True, max_length=34)
    auth_token: str = Field(max_length=64)
    friendly_name: str = Field(default="", max_length=64)
    status: str = Field(default="active", max_length=16)
    owner_account_sid: str | None = Field(default=None, max_length=34)
    date_created: datetime = Field(default_factory=now)
    date_updated: datetime = Field(default_factory=now)


class SandboxNumber(SandboxTable, table=True):
    __tablename__ = "sandbox_numbers"
    __table_args__ = (
        # A number can be owned by one account at a time: concurrent buys race here.
        Index(
            "uq_sandbox_numbers_owned",
            "phone_number",
            unique=True,
            sqlite_where=text("released = 0"),
            postgresql_where=text("released = false"),
        ),
    )

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(max_length=34, index=True)
    phone_number: str = Field(max_length=20)
    friendly_name: str = Field(default="", max_length=64)
    voice_url: str | None = Field(default=None, max_length=500)
    voice_method: str = Field(default="POST", max_length=8)
    status_callback: str | None = Field(default=None, max_length=500)
    status_callback_method: str = Field(default="POST", max_length=8)
    sms_url: str | None = Field(default=None, max_length=500)
    sms_method: str = Field(default="POST", max_length=8)
    voice_application_sid: str | None = Field(default=None, max_length=34)
    toll_free: bool = False
    released: bool = False
    date_created: datetime = Field(default_factory=now)
    date_updated: datetime = Field(default_factory=now)


class SandboxApplication(SandboxTable, table=True):
    __tablename__ = "sandbox_applications"

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(max_length=34, index=True)
    friendly_name: str = Field(default="", max_length=64)
    voice_url: str | None = Field(default=None, max_length=500)
    voice_method: str = Field(default="POST", max_length=8)
    status_callback: str | None = Field(default=None, max_length=500)
    status_callback_method: str = Field(default="POST", max_length=8)
    date_created: datetime = Field(default_factory=now)
    date_updated: datetime = Field(default_factory=now)


class SandboxCall(SandboxTable, table=True):
    __tablename__ = "sandbox_calls"

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(max_length=34, index=True)
    parent_call_sid: str | None = Field(default=None, max_length=34, index=True)
    from_: str = Field(default="", max_length=64)
    to: str = Field(default="", max_length=64)
    status: str = Field(default="queued", max_length=16)
    direction: str = Field(default="inbound", max_length=16)
    phone_number_sid: str | None = Field(default=None, max_length=34)
    duration: int | None = None
    price: Decimal | None = _money()
    price_unit: str = Field(default="USD", max_length=3)
    start_time: datetime | None = None
    end_time: datetime | None = None
    date_created: datetime = Field(default_factory=now)
    date_updated: datetime = Field(default_factory=now)


class SandboxRecording(SandboxTable, table=True):
    __tablename__ = "sandbox_recordings"

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(max_length=34, index=True)
    call_sid: str = Field(max_length=34, index=True)
    duration: int = 0
    status: str = Field(default="completed", max_length=16)
    price: Decimal | None = _money()
    price_unit: str = Field(default="USD", max_length=3)
    deleted: bool = False
    date_created: datetime = Field(default_factory=now)


class SandboxUsage(SandboxTable, table=True):
    """One billable event; Usage Records are sums of these."""

    __tablename__ = "sandbox_usage"
    __table_args__ = (Index("ix_sandbox_usage_account_at", "account_sid", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_sid: str = Field(max_length=34)
    category: str = Field(max_length=40)
    usage: Decimal = Field(default=Decimal("0"), sa_type=Numeric(14, 5))
    usage_unit: str = Field(default="", max_length=16)
    price: Decimal = Field(default=Decimal("0"), sa_type=Numeric(14, 5))
    at: datetime = Field(default_factory=now)


class SandboxApiKey(SandboxTable, table=True):
    """An API key (SK...) of an account; as at Twilio, its secret is shown only once."""

    __tablename__ = "sandbox_api_keys"

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(max_length=34, index=True)
    friendly_name: str = Field(default="", max_length=64)
    date_created: datetime = Field(default_factory=now)


# The messaging tables live beside these; importing them here registers them wherever
# the sandbox's tables are created.
from twilio_sandbox import conference_models, message_models  # noqa: E402,F401
