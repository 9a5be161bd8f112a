"""Following an invitation's link: what it offers whoever holds it, and accepting it as
the user whose email it names (once: the first to accept uses it up)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select, update

from callplatform.common import audit
from callplatform.common.errors import NotFound, PermissionDenied
from callplatform.live import WORKSPACE, track
from callplatform.models import Invitation, User, Workspace, WorkspaceMember, WorkspaceRole
from callplatform.models.base import utcnow
from callplatform.workspaces.invitations import (
    TOKEN_SHAPE,
    inviter_name,
    is_pending,
    pending_filter,
    token_hash,
)
from callplatform.workspaces.team import member_ids, workspace_name


@dataclass(frozen=True)
class Offer:
    """What the invitation page shows the link's holder."""

    workspace_id: int
    workspace: str
    inviter: str
    email: str
    role: WorkspaceRole


def _by_token(session: Session, token) -> Invitation | None:
    token = str(token or "")
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    row = session.exec(select(Invitation).where(Invitation.token_hash == token_hash(token))).first()
    return row if row is not None and is_pending(row, utcnow()) else None


def offer(*, session: Session, token) -> Offer | None:
    """What a pending invitation offers, to whoever holds its link (None: no such
    invitation, or it was used, revoked or has expired)."""
    row = _by_token(session, token)
    if row is None:
        return None
    workspace = session.get(Workspace, row.workspace_id)
    inviter = inviter_name(session, row.invited_by)
    return Offer(workspace.id, workspace.name, inviter, row.email, WorkspaceRole(row.role))


def accept(*, session: Session, user: User, token) -> int:
    """`user` joins the invitation's workspace (its email must be theirs); returns the
    workspace's id. The link is used up, whoever reaches it first."""
    row = _by_token(session, token)
    if row is None:
        raise NotFound("This invitation link is no longer valid. Ask for a new one.")
    if row.email != user.email.strip().lower():
        raise PermissionDenied(
            f"This invitation is for {row.email}. Log in with that address to accept it."
        )
    now = utcnow()
    used = session.exec(
        update(Invitation)
        .where(Invitation.id == row.id, *pending_filter(now))
        .values(accepted_at=now, accepted_by=user.id)
    )
    if used.rowcount != 1:  # another tab accepted it a moment ago
        raise NotFound("This invitation link is no longer valid. Ask for a new one.")
    if session.get(WorkspaceMember, (row.workspace_id, user.id)) is None:
        session.add(WorkspaceMember(workspace_id=row.workspace_id, user_id=user.id, role=row.role))
        session.flush()
    audit.record(
        session=session,
        action="invitation.accepted",
        actor_id=user.id,
        target_id=row.invited_by,
        workspace_id=row.workspace_id,
        workspace=workspace_name(session, row.workspace_id),
        role=WorkspaceRole(row.role).value,
    )
    track.announce(session, member_ids(session, row.workspace_id), WORKSPACE)
    return row.workspace_id
