"""Per-user Twilio resources: subaccounts, phone numbers, calls, recordings, raw events."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from callplatform.models.base import money_field, utcnow


class TwilioSubaccount(SQLModel, table=True):
    """A workspace's own Twilio subaccount; its auth token is stored encrypted."""

    __tablename__ = "twilio_subaccounts"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")  # who made it (the first to need it)
    # The workspace whose numbers, calls and bill live in it.
    workspace_id: int = Field(foreign_key="workspaces.id", unique=True, index=True)
    account_sid: str = Field(max_length=34, unique=True)
    auth_token_encrypted: str = Field(max_length=512)
    twiml_app_sid: str | None = Field(default=None, max_length=34)
    # The API key whose secret signs the Voice SDK's access tokens (secret encrypted).
    api_key_sid: str | None = Field(default=None, max_length=34)
    api_key_secret_encrypted: str | None = Field(default=None, max_length=512)
    # The account's Messaging Service: every text goes out through it (A2P 10DLC
    # registration attaches to a service), made on the first text.
    messaging_service_sid: str | None = Field(default=None, max_length=34)
    status: str = Field(default="active", max_length=16)
    created_at: datetime = Field(default_factory=utcnow)


class NumberStatus(str, enum.Enum):
    PENDING = "pending"  # being bought: never shown as owned until Twilio confirms
    ACTIVE = "active"
    RELEASED = "released"


LIVE_NUMBER = text("status != 'released'")


class UserPhoneNumber(SQLModel, table=True):
    __tablename__ = "user_phone_numbers"
    __table_args__ = (
        Index("ix_user_phone_numbers_workspace_status", "workspace_id", "status"),
        # One live row per number: a double click, or two users racing, buys it once.
        Index(
            "uq_user_phone_numbers_live_number",
            "phone_number",
            unique=True,
            sqlite_where=LIVE_NUMBER,
            postgresql_where=LIVE_NUMBER,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")  # who bought it
    workspace_id: int = Field(foreign_key="workspaces.id", index=True)
    phone_number_sid: str | None = Field(default=None, max_length=34, unique=True)
    phone_number: str = Field(max_length=20, index=True)
    friendly_name: str = Field(default="", max_length=64)
    country: str = Field(default="US", max_length=2)
    voice_capable: bool = True
    sms_capable: bool = False
    mms_capable: bool = False
    monthly_price: Decimal | None = money_field()
    price_unit: str = Field(default="USD", max_length=3)
    record_calls: bool = False
    # The Messaging Service whose sender pool holds the number (None: not joined yet).
    messaging_service_sid: str | None = Field(default=None, max_length=34)
    status: NumberStatus = Field(default=NumberStatus.ACTIVE, sa_type=String(16))
    purchased_at: datetime = Field(default_factory=utcnow)
    released_at: datetime | None = None


# The call log's indexes by name (its plans name the one each filter set walks).
IX_STARTED = "ix_twilio_calls_workspace_started"
IX_FACETS = "ix_twilio_calls_workspace_direction_status"
IX_NUMBER_FACETS = "ix_twilio_calls_workspace_number_direction_status"
IX_MISSED = "ix_twilio_calls_workspace_missed"
IX_NUMBER_MISSED = "ix_twilio_calls_workspace_number_missed"
IX_FROM_PARTY = "ix_twilio_calls_workspace_from"
IX_TO_PARTY = "ix_twilio_calls_workspace_to"
# A partial index's predicate, written as each database's planner matches the query's
# `missed = 1` (SQLite compares the terms as written) or `missed = true` (PostgreSQL).
ONLY_MISSED = {"sqlite_where": text("missed = 1"), "postgresql_where": text("missed")}


class TwilioCall(SQLModel, table=True):
    __tablename__ = "twilio_calls"
    __table_args__ = (
        # Newest-first keyset paging scans these backwards; plain (ascending) columns keep
        # them comparable by alembic autogenerate, unlike DESC expression indexes.
        Index(IX_STARTED, "workspace_id", "started_at", "id"),
        Index("ix_twilio_calls_number_started", "number_id", "started_at"),
        # The call log's filters, each an equality prefix ending in (started_at, id): a
        # filter that matches nothing is an empty range, not a walk of the workspace's calls.
        # Direction and status are few values, so a filter that leaves out the first of
        # them reads one range per value and merges them (history/call_log_plans.py).
        Index(IX_FACETS, "workspace_id", "direction", "status", "started_at", "id"),
        Index(
            IX_NUMBER_FACETS,
            *("workspace_id", "number_id", "direction", "status", "started_at", "id"),
        ),
        # Missed calls only (partial): the "missed" filter, with and without a number.
        Index(IX_MISSED, "workspace_id", "direction", "started_at", "id", **ONLY_MISSED),
        Index(
            IX_NUMBER_MISSED,
            *("workspace_id", "number_id", "direction", "started_at", "id"),
            **ONLY_MISSED,
        ),
        # The digit search: the calls from, or to, the parties whose number matched.
        Index(IX_FROM_PARTY, "workspace_id", "from_number", "started_at", "id"),
        Index(IX_TO_PARTY, "workspace_id", "to_number", "started_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspaces.id")
    # The member who placed or answered it (None: nobody has, e.g. a missed call).
    handled_by: int | None = Field(default=None, foreign_key="users.id")
    number_id: int | None = Field(default=None, foreign_key="user_phone_numbers.id")
    call_sid: str = Field(max_length=34, unique=True)
    parent_call_sid: str | None = Field(default=None, max_length=34)
    direction: str = Field(max_length=16)  # inbound | outbound
    from_number: str = Field(max_length=64)
    to_number: str = Field(max_length=64)
    status: str = Field(default="queued", max_length=16)
    last_sequence: int = -1
    # An inbound call nobody picked up (it went to voicemail or rang out).
    missed: bool = False
    started_at: datetime = Field(default_factory=utcnow)
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    duration_seconds: int | None = None
    price: Decimal | None = money_field()
    price_unit: str = Field(default="USD", max_length=3)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def other_party(self) -> str:
        """The number at the far end: who the user called, or who called them."""
        return self.to_number if self.direction == "outbound" else self.from_number


class TwilioRecording(SQLModel, table=True):
    __tablename__ = "twilio_recordings"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspaces.id", index=True)
    call_id: int | None = Field(default=None, foreign_key="twilio_calls.id", index=True)
    recording_sid: str = Field(max_length=34, unique=True)
    call_sid: str = Field(max_length=34, index=True)
    duration_seconds: int = 0
    status: str = Field(default="completed", max_length=16)
    is_voicemail: bool = False
    price: Decimal | None = money_field()
    price_unit: str = Field(default="USD", max_length=3)
    created_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class WebhookEvent(SQLModel, table=True):
    """Every raw webhook as received; the unique key absorbs Twilio's retries."""

    __tablename__ = "webhook_events"
    __table_args__ = (UniqueConstraint("dedupe_key", name="uq_webhook_events_dedupe_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # status | recording | voice
    dedupe_key: str = Field(max_length=200)
    resource_sid: str = Field(max_length=34, index=True)
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    received_at: datetime = Field(default_factory=utcnow)


class CostKind(str, enum.Enum):
    NUMBER_MONTHLY = "number_monthly"
    CALL = "call"
    RECORDING = "recording"
    MESSAGE = "message"  # a text, sent or received (Twilio prices both)


class CostItem(SQLModel, table=True):
    """One line of a workspace's bill, tied to its source, so every total can be
    explained; `handled_by` is the member whose call or text it was (Usage by member)."""

    __tablename__ = "cost_items"
    __table_args__ = (Index("ix_cost_items_workspace_occurred", "workspace_id", "occurred_at"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspaces.id")
    handled_by: int | None = Field(default=None, foreign_key="users.id")
    kind: CostKind = Field(sa_type=String(16))
    # Idempotency: one item per source and period, e.g. "number:PN..:2026-11".
    source_key: str = Field(max_length=120, unique=True)
    number_id: int | None = Field(default=None, foreign_key="user_phone_numbers.id", index=True)
    call_id: int | None = Field(default=None, foreign_key="twilio_calls.id")
    recording_id: int | None = Field(default=None, foreign_key="twilio_recordings.id")
    twilio_cost: Decimal = money_field(Decimal("0"), nullable=False)
    markup: Decimal = money_field(Decimal("0"), nullable=False)
    charge: Decimal = money_field(Decimal("0"), nullable=False)
    currency: str = Field(default="USD", max_length=3)
    description: str = Field(default="", max_length=200)
    occurred_at: datetime = Field(default_factory=utcnow)


class ClientPresence(SQLModel, table=True):
    """When a user's browser last said it was open: inbound calls ring only live tabs."""

    __tablename__ = "client_presence"

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    last_seen_at: datetime = Field(default_factory=utcnow)
