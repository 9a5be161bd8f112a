"""Invitations: a workspace's managers invite people by email, with a role; the invitee
follows a link, `/invite/<token>`, and joins as the user whose email it names.

A link is single use, expires after `TTL`, can be revoked, and a new invitation to an
email that has one pending replaces it. Its token is an HMAC, under the app's secret, of
a random nonce; the database keeps the nonce and the token's SHA-256 (to find the
invitation), so it holds nothing that opens a link, while the inviter can still copy the
link of a pending invitation. Following a link: `joining`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from callplatform.common import audit, ids, text_input
from callplatform.common.errors import NotFound, ValidationError
from callplatform.config import get_settings
from callplatform.live import WORKSPACE, track
from callplatform.models import Invitation, User, WorkspaceMember, WorkspaceRole
from callplatform.models.base import utcnow
from callplatform.workspaces.access import Member, require_manager
from callplatform.workspaces.team import as_role, member_ids, workspace_name

TTL = timedelta(days=7)
INVITE_PATH = "/invite/"
MAX_PENDING = 100  # per workspace: a bound on what one admin can send
INVITABLE = (WorkspaceRole.MEMBER, WorkspaceRole.ADMIN)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class Pending:
    id: int
    email: str
    role: WorkspaceRole
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Invited:
    """A new invitation, and what its mail says."""

    id: int
    email: str
    link: str
    workspace: str
    inviter: str


def _token(nonce: str) -> str:
    key = get_settings().derived_key("workspace-invitation")
    digest = hmac.new(key, nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link(nonce: str) -> str:
    return f"{get_settings().base_url}{INVITE_PATH}{_token(nonce)}"


def pending_filter(now: datetime):
    return (
        col(Invitation.accepted_at).is_(None),
        col(Invitation.revoked_at).is_(None),
        Invitation.expires_at > now,
    )


def _check_email(email) -> str:
    email = str(email or "").strip().lower()
    if not email:
        raise ValidationError("Enter the email address to invite.", field="email")
    if len(email) > 254 or text_input.has_control(email) or not _EMAIL.match(email):
        raise ValidationError("Enter a valid email address, like name@example.com.", field="email")
    return email


def inviter_name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return (user.display_name or user.email) if user else "Someone"


def invite(*, session: Session, member: Member, email, role=WorkspaceRole.MEMBER) -> Invited:
    """Invite `email` as `role` (member or admin); replaces a pending invitation to it."""
    require_manager(member)
    email = _check_email(email)
    role = as_role(role)
    if role not in INVITABLE:
        raise ValidationError("Invite as a member or an admin.", field="role")
    now = utcnow()
    already = session.exec(
        select(User.id)
        .join(WorkspaceMember, col(WorkspaceMember.user_id) == User.id)
        .where(User.email == email, WorkspaceMember.workspace_id == member.workspace_id)
    ).first()
    if already is not None:
        raise ValidationError("They are already in this workspace.", field="email")
    session.exec(
        update(Invitation)
        .where(Invitation.workspace_id == member.workspace_id, Invitation.email == email)
        .where(*pending_filter(now))
        .values(revoked_at=now)
    )
    if len(_pending_rows(session, member.workspace_id, now)) >= MAX_PENDING:
        raise ValidationError(f"At most {MAX_PENDING} invitations can wait at once.")
    nonce = secrets.token_urlsafe(32)
    row = Invitation(
        workspace_id=member.workspace_id,
        email=email,
        role=role,
        token_hash=token_hash(_token(nonce)),
        nonce=nonce,
        invited_by=member.user_id,
        created_at=now,
        expires_at=now + TTL,
    )
    session.add(row)
    session.flush()
    name = workspace_name(session, member.workspace_id)
    audit.record(
        session=session,
        action="invitation.created",
        actor_id=member.user_id,
        workspace_id=member.workspace_id,
        workspace=name,
        email=email,
        role=row.role.value,
    )
    track.announce(session, member_ids(session, member.workspace_id), WORKSPACE)
    return Invited(row.id, email, link(nonce), name, inviter_name(session, member.user_id))


def _pending_rows(session: Session, workspace_id: int, now: datetime) -> list[Invitation]:
    return list(
        session.exec(
            select(Invitation)
            .where(Invitation.workspace_id == workspace_id, *pending_filter(now))
            .order_by(col(Invitation.created_at).desc(), col(Invitation.id).desc())
        )
    )


def pending(*, session: Session, member: Member) -> list[Pending]:
    """The workspace's invitations still waiting, newest first (managers only)."""
    require_manager(member)
    return [
        Pending(r.id, r.email, WorkspaceRole(r.role), r.created_at, r.expires_at)
        for r in _pending_rows(session, member.workspace_id, utcnow())
    ]


def _pending_one(session: Session, member: Member, invitation_id) -> Invitation:
    require_manager(member)
    wanted = ids.as_id(invitation_id)
    row = session.get(Invitation, wanted) if wanted else None
    now = utcnow()
    if row is None or row.workspace_id != member.workspace_id or not is_pending(row, now):
        raise NotFound("That invitation isn't pending any more.")
    return row


def is_pending(row: Invitation, now: datetime) -> bool:
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=now.tzinfo)
    return row.accepted_at is None and row.revoked_at is None and expires > now


def link_of(*, session: Session, member: Member, invitation_id) -> str:
    """The link of a pending invitation, for the inviter to copy (managers only)."""
    return link(_pending_one(session, member, invitation_id).nonce)


def revoke(*, session: Session, member: Member, invitation_id) -> None:
    row = _pending_one(session, member, invitation_id)
    row.revoked_at = utcnow()
    session.add(row)
    audit.record(
        session=session,
        action="invitation.revoked",
        actor_id=member.user_id,
        workspace_id=member.workspace_id,
        workspace=workspace_name(session, member.workspace_id),
        email=row.email,
    )
    track.announce(session, member_ids(session, member.workspace_id), WORKSPACE)
