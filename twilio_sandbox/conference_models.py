"""The sandbox's Conference and Participant rows (Twilio's Conference resource and its
Participants): a conference lives while it has participants; a participant's row is
there while its call is in the conference, as Twilio lists only those present."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from twilio_sandbox.database import SandboxTable
from twilio_sandbox.models import now


class SandboxConference(SandboxTable, table=True):
    __tablename__ = "sandbox_conferences"
    __table_args__ = (Index("ix_sandbox_conferences_name", "account_sid", "friendly_name"),)

    sid: str = Field(primary_key=True, max_length=34)
    account_sid: str = Field(max_length=34, index=True)
    friendly_name: str = Field(max_length=128)
    status: str = Field(default="init", max_length=16)  # init | in-progress | completed
    reason_conference_ended: str | None = Field(default=None, max_length=48)
    call_sid_ending_conference: str | None = Field(default=None, max_length=34)
    status_callback: str | None = Field(default=None, max_length=500)
    status_callback_events: str = Field(default="", max_length=200)
    date_created: datetime = Field(default_factory=now)
    date_updated: datetime = Field(default_factory=now)


class SandboxParticipant(SandboxTable, table=True):
    __tablename__ = "sandbox_participants"
    __table_args__ = (
        Index("uq_sandbox_participants_call", "conference_sid", "call_sid", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    conference_sid: str = Field(max_length=34, index=True)
    account_sid: str = Field(max_length=34)
    call_sid: str = Field(max_length=34)
    label: str | None = Field(default=None, max_length=128)
    status: str = Field(default="connected", max_length=16)
    muted: bool = False
    hold: bool = False
    hold_url: str | None = Field(default=None, max_length=500)
    # What the held participant hears: the verbs of the hold TwiML it was played ("Play").
    hearing: str = Field(default="", max_length=64)
    end_conference_on_exit: bool = False
    start_conference_on_enter: bool = True
    date_created: datetime = Field(default_factory=now)
    date_updated: datetime = Field(default_factory=now)
