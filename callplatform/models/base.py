"""Shared column helpers for the tables."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Numeric
from sqlmodel import Field


def utcnow() -> datetime:
    """Naive UTC: every timestamp in the database is UTC without a zone."""
    return datetime.now(UTC).replace(tzinfo=None)


def money_field(default: Decimal | None = None, nullable: bool = True):
    """Money as exact decimal with Twilio's five decimal places."""
    return Field(default=default, sa_type=Numeric(14, 5), nullable=nullable)
