"""What the public REST API keeps: personal API tokens and idempotency keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from callplatform.models.base import utcnow


class ApiToken(SQLModel, table=True):
    """A personal API token. The raw token is shown once; we keep its SHA-256 and the
    first characters so the user can tell their tokens apart."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    # A token acts within the one workspace it was made in; it dies with the membership.
    workspace_id: int | None = Field(default=None, foreign_key="workspaces.id")
    name: str = Field(max_length=64)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class IdempotencyKey(SQLModel, table=True):
    """One client-chosen key per user and operation: the first request claims it, its
    answer is stored, and a retry with the same key gets that answer again."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=255)
    request_hash: str = Field(max_length=64)
    status_code: int | None = None  # None while the first request is still running
    response: dict | None = Field(default=None, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow)
