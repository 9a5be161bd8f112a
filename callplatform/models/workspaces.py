"""Workspaces: the tenant a team shares, who belongs to it and in which role, and which
members a number is assigned to. Every user has a personal workspace (made at sign-up)."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from callplatform.models.base import money_field, utcnow


class WorkspaceRole(str, enum.Enum):
    OWNER = "owner"  # billing, deleting the workspace, everything an admin may
    ADMIN = "admin"  # members, numbers, settings, all of the workspace's history
    MEMBER = "member"  # the numbers assigned to them, and their own calls


class Workspace(SQLModel, table=True):
    __tablename__ = "workspaces"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    # Made for one user at sign-up: shown by its owner's name until they invite someone.
    personal: bool = False
    monthly_cap: Decimal | None = money_field()
    created_at: datetime = Field(default_factory=utcnow)


class WorkspaceMember(SQLModel, table=True):
    """A user's place in a workspace. Removing a member deletes this row; the calls they
    handled keep their name (rows point at the user, not at the membership)."""

    __tablename__ = "workspace_members"

    workspace_id: int = Field(foreign_key="workspaces.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", primary_key=True, index=True, ondelete="CASCADE")
    role: WorkspaceRole = Field(default=WorkspaceRole.MEMBER, sa_type=String(16))
    # The member's own cap inside the workspace's (None: only the workspace's applies).
    monthly_cap: Decimal | None = money_field()
    joined_at: datetime = Field(default_factory=utcnow)


class NumberAssignment(SQLModel, table=True):
    """A member who may call from, and sees the calls of, one of the workspace's numbers."""

    __tablename__ = "number_assignments"

    number_id: int = Field(
        foreign_key="user_phone_numbers.id", primary_key=True, ondelete="CASCADE"
    )
    user_id: int = Field(foreign_key="users.id", primary_key=True, index=True, ondelete="CASCADE")
    assigned_at: datetime = Field(default_factory=utcnow)


class Invitation(SQLModel, table=True):
    """An invitation to join a workspace, sent to an email address. The link's token is
    never stored: only its SHA-256 (to find the invitation when the link is followed) and
    the random nonce that, with the app's secret, makes the token again (so the inviter
    can copy the link while it is pending; the database alone opens nothing)."""

    __tablename__ = "invitations"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspaces.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=254)
    role: WorkspaceRole = Field(default=WorkspaceRole.MEMBER, sa_type=String(16))
    token_hash: str = Field(max_length=64, unique=True)
    nonce: str = Field(max_length=64)
    invited_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    # Set once: a link is used once (accepted) or withdrawn (revoked, or replaced by a
    # new invitation to the same email).
    accepted_at: datetime | None = None
    accepted_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    revoked_at: datetime | None = None
