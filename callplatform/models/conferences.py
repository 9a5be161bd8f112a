"""A live call moved into a Twilio conference for hold and transfer (issue 18): which leg
is the customer's and which the browser's, the conference, whether the customer is held,
and the one party being dialled in (a transfer, a consultation, a third party)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from callplatform.models.base import utcnow


class CallConference(SQLModel, table=True):
    __tablename__ = "call_conferences"
    __table_args__ = (
        Index("ix_call_conferences_workspace_status", "workspace_id", "status"),
        Index("ix_call_conferences_account_name", "account_sid", "name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspaces.id", ondelete="CASCADE")
    # The member whose softphone call it is: only they hold or transfer it.
    handled_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    number_id: int | None = Field(
        default=None, foreign_key="user_phone_numbers.id", ondelete="SET NULL"
    )
    account_sid: str = Field(max_length=34)  # the subaccount whose webhooks may touch it
    name: str = Field(max_length=40, unique=True)  # the conference's FriendlyName
    softphone_sid: str = Field(max_length=34, index=True)  # the call the softphone follows
    customer_sid: str = Field(max_length=34)  # the logged call: its path shows the steps
    agent_sid: str = Field(max_length=34)  # the browser's leg
    rejoin_sid: str = Field(max_length=34, index=True)  # the leg its Dial's action brings in
    conference_sid: str | None = Field(default=None, max_length=34)
    status: str = Field(default="moving", max_length=16)  # moving | live | ended
    present: str = Field(default="", max_length=400)  # call SIDs in it, space-separated
    on_hold: bool = False
    agent_left: bool = False  # the browser's leg left (a transfer handed the call over)
    pending: str = Field(default="", max_length=16)  # "" | transfer | consult | add
    pending_sid: str | None = Field(default=None, max_length=34)
    pending_to: str = Field(default="", max_length=64)  # E.164 or client:user-N
    pending_joined: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
