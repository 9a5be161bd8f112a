"""Platform-wide tables: the audit log, call attempts (rate limits), sweep leases, platform
settings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from callplatform.models.base import money_field, utcnow


class AuditEvent(SQLModel, table=True):
    """Every admin action and security event: who, what, to whom, when, from where."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_at", "at"),
        Index("ix_audit_events_action", "action"),
        # A workspace's own log, newest first (its admins' Activity list).
        Index("ix_audit_events_workspace_at", "workspace_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    action: str = Field(max_length=40)
    actor_user_id: int | None = Field(default=None, foreign_key="users.id")
    target_user_id: int | None = Field(default=None, foreign_key="users.id")
    # The workspace it happened in (None: the platform's, or a login's own).
    workspace_id: int | None = Field(default=None, foreign_key="workspaces.id")
    client: str = Field(default="", max_length=64)
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CallAttempt(SQLModel, table=True):
    """One outbound call attempt, counted for the workspace's per-minute rate limit."""

    __tablename__ = "call_attempts"
    __table_args__ = (Index("ix_call_attempts_workspace_at", "workspace_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspaces.id")
    at: datetime = Field(default_factory=utcnow)


class SweepLease(SQLModel, table=True):
    """When a background sweep last started: the worker whose UPDATE moves it forward runs
    that round; the database's row lock makes it one worker, however many ask."""

    __tablename__ = "sweep_leases"

    name: str = Field(primary_key=True, max_length=40)
    started_at: datetime = Field(default_factory=utcnow)


class PlatformSetting(SQLModel, table=True):
    """Settings admins change at run time (one row)."""

    __tablename__ = "platform_settings"

    id: int = Field(default=1, primary_key=True)
    default_monthly_cap: Decimal = money_field(Decimal("50"), nullable=False)
    calls_per_minute: int = 10


class DailyUsage(SQLModel, table=True):
    """Per workspace and day: what the admin dashboard adds up, kept current as costs are
    recorded so the dashboard never scans the call table."""

    __tablename__ = "daily_usage"
    __table_args__ = (
        Index("ix_daily_usage_workspace_day", "workspace_id", "day"),
        # Covers "top spenders in a date range": the sum reads the index, not the table.
        Index("ix_daily_usage_day_spend", "day", "workspace_id", "twilio_cost", "markup"),
    )

    day: date = Field(primary_key=True)
    workspace_id: int = Field(foreign_key="workspaces.id", primary_key=True)
    calls: int = 0
    failed_calls: int = 0
    call_seconds: int = 0
    twilio_cost: Decimal = money_field(Decimal("0"), nullable=False)
    markup: Decimal = money_field(Decimal("0"), nullable=False)


class DailyTotal(SQLModel, table=True):
    """The whole platform per day: the dashboard's time series reads one row a day."""

    __tablename__ = "daily_totals"

    day: date = Field(primary_key=True)
    calls: int = 0
    failed_calls: int = 0
    call_seconds: int = 0
    twilio_cost: Decimal = money_field(Decimal("0"), nullable=False)
    markup: Decimal = money_field(Decimal("0"), nullable=False)


class UsageToDate(SQLModel, table=True):
    """Per workspace and day, what the workspace had spent and on how many days they were active
    (had a DailyUsage row) from their first day up to and including this one. Every day
    from the workspace's first active day to their last has a row (days without activity
    repeat the day before), so any range's figures are two rows apart: the dashboard's
    top spenders and active workspaces read two rows per workspace, however long the range."""

    __tablename__ = "usage_to_date"
    __table_args__ = (
        # One day's rows for every workspace, read from the index alone.
        Index("ix_usage_to_date_day", "day", "workspace_id", "spend", "active_days"),
    )

    workspace_id: int = Field(foreign_key="workspaces.id", primary_key=True)
    day: date = Field(primary_key=True)
    spend: Decimal = money_field(Decimal("0"), nullable=False)  # Twilio's cost + markup
    active_days: int = 0


class UsageTotal(SQLModel, table=True):
    """Per workspace, the same figures as of their last active day (the last UsageToDate
    row), and the days their rows span: a day past the span reads these, a day before
    it reads zero."""

    __tablename__ = "usage_totals"

    workspace_id: int = Field(foreign_key="workspaces.id", primary_key=True)
    first_day: date
    last_day: date
    spend: Decimal = money_field(Decimal("0"), nullable=False)
    active_days: int = 0
