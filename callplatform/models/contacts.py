"""Contacts: the people a workspace talks to, by name, and the numbers that name them.
A number names at most one contact in a workspace (the unique key on ContactNumber), so
a call log or a thread can put a name where the number was."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from callplatform.models.base import utcnow


class Contact(SQLModel, table=True):
    __tablename__ = "contacts"
    # The Contacts page: a workspace's contacts by name.
    __table_args__ = (Index("ix_contacts_workspace_name", "workspace_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspaces.id", ondelete="CASCADE")
    name: str = Field(max_length=100)
    company: str = Field(default="", max_length=100)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # Who added it: with the workspace's managers, the one who may delete it. Kept (NULL)
    # when that user is deleted: the contact is the workspace's, not theirs.
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ContactNumber(SQLModel, table=True):
    __tablename__ = "contact_numbers"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number", name="uq_contact_numbers_workspace_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contacts.id", index=True, ondelete="CASCADE")
    # The contact's workspace again, so the unique key can hold per workspace.
    workspace_id: int = Field(foreign_key="workspaces.id", ondelete="CASCADE")
    number: str = Field(max_length=20)  # E.164
    label: str = Field(default="", max_length=32)  # mobile, work, home...
