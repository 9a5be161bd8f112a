"""Users, their login sessions, and login throttling."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from callplatform.models.base import utcnow


class Role(str, enum.Enum):
    USER = "user"
    ADMIN = "admin"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: Role = Field(default=Role.USER, sa_type=String(16))
    is_suspended: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime = Field(default_factory=utcnow)
    # Profile: how the UI greets the user, and the IANA zone every time on it is shown in
    # ("" until chosen, or taken from the browser at the first login: shown as UTC).
    display_name: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    time_zone: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})

    @property
    def shown_name(self) -> str:
        """How teammates see the user: their display name, else their email's local part."""
        return self.display_name or self.email.split("@", 1)[0]


class AuthSession(SQLModel, table=True):
    """A login. The browser holds the random token; we keep only its SHA-256."""

    __tablename__ = "auth_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    # For the user's list of their sessions: the browser that signed in (as it said), and
    # when a page of ours last loaded under it (at most once a minute).
    user_agent: str = Field(default="", max_length=255, sa_column_kwargs={"server_default": ""})
    last_seen_at: datetime | None = None
    # The workspace this login acts in: chosen on the server (switching checks the
    # membership), never taken from the browser.
    workspace_id: int | None = Field(default=None, foreign_key="workspaces.id")


class LoginThrottle(SQLModel, table=True):
    """Recent login failures for one key: an email (account) or a client address."""

    __tablename__ = "login_throttles"

    key: str = Field(primary_key=True, max_length=300)
    failures: int = 0
    window_started_at: datetime = Field(default_factory=utcnow)
    locked_until: datetime | None = None
