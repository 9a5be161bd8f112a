"""Shared column helpers for the tables."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Numeric
from sqlmodel import Field


def utcnow() -> datetime:
    """Aware UTC: every timestamp is stored as UTC (SQLModel refuses naive values)."""
    return datetime.now(UTC)


def money_field(default: Decimal | None = None, nullable: bool = True):
    """Money as exact decimal with Twilio's five decimal places."""
    return Field(default=default, sa_type=Numeric(14, 5), nullable=nullable)
