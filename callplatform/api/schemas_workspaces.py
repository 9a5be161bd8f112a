"""The API's shapes for workspaces, their members and invitations."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from callplatform.api.schemas import Text

Role = Literal["owner", "admin", "member"]


class Workspace(BaseModel):
    id: int
    name: str
    role: Role = Field(description="Your role in it.")
    personal: bool = Field(description="Made for you at sign-up.")
    current: bool = Field(description="The workspace this credential acts in.")


class WorkspaceList(BaseModel):
    workspaces: list[Workspace]


class CreateWorkspaceRequest(BaseModel):
    name: Text(64)


class Member(BaseModel):
    user_id: int
    name: str = Field(description="Their display name; empty when they chose none.")
    email: str
    role: Role
    joined_at: datetime


class MemberList(BaseModel):
    members: list[Member]


class ChangeRoleRequest(BaseModel):
    role: Role


class InviteRequest(BaseModel):
    email: Text(254)
    role: Literal["admin", "member"] = "member"


class Invitation(BaseModel):
    id: int
    email: str
    role: Literal["admin", "member"]
    created_at: datetime
    expires_at: datetime


class InvitationList(BaseModel):
    invitations: list[Invitation]


class Invited(BaseModel):
    id: int
    email: str
    link: str = Field(description="Send it yourself if the email did not go out.")
    mail: Literal["sent", "failed", "off"] = Field(
        description="Whether the invitation was emailed (`off`: SMTP is not configured)."
    )
    mail_error: str = ""


class AcceptRequest(BaseModel):
    token: Text(64) = Field(description="The last part of the invitation's link.")


class ActivityEntry(BaseModel):
    at: datetime
    action: str
    actor: str = Field(description="Who did it (an email; empty for the platform).")
    sentence: str = Field(description="What happened, in words.")


class Activity(BaseModel):
    entries: list[ActivityEntry]
