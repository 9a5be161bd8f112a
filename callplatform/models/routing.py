"""Per-number call routing (issue 18): the route document a number answers calls by, and
the path each call took through it (shown in the call's detail)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from callplatform.models.base import utcnow


class NumberRouting(SQLModel, table=True):
    """One number's routing: a validated `routing.document.RoutingDocument` as JSON. A
    number without a row keeps the default (ring the owner's tabs, then voicemail)."""

    __tablename__ = "number_routings"

    id: int | None = Field(default=None, primary_key=True)
    number_id: int = Field(
        foreign_key="user_phone_numbers.id", unique=True, index=True, ondelete="CASCADE"
    )
    document: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")


class CallRouteEvent(SQLModel, table=True):
    """One routing decision on a call: the key pressed, who rang, where it was forwarded,
    voicemail. Only ever written for a number the signing account owns."""

    __tablename__ = "call_route_events"

    id: int | None = Field(default=None, primary_key=True)
    number_id: int = Field(foreign_key="user_phone_numbers.id", ondelete="CASCADE")
    call_sid: str = Field(max_length=34, index=True)
    kind: str = Field(max_length=16)  # hours | menu | ring | forward | voicemail | ...
    detail: str = Field(default="", max_length=200)
    occurred_at: datetime = Field(default_factory=utcnow)
