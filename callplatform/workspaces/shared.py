"""Shared workspaces: making one (its maker owns it), and whether a workspace is a team
at all (the UI shows a solo user none of the team's links)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from callplatform.common import audit, text_input
from callplatform.common.errors import ValidationError
from callplatform.models import Invitation, Workspace, WorkspaceMember, WorkspaceRole
from callplatform.models.base import utcnow
from callplatform.workspaces import membership

# Shared workspaces one user may own: enough for any real use, and a bound on abuse.
MAX_CREATED = 20


def has_company(*, session: Session, workspace_id: int) -> bool:
    """Someone besides the one member, or an invitation waiting: a team, whose links and
    switcher the UI shows (a solo user sees none of that)."""
    others = session.exec(
        select(WorkspaceMember.user_id).where(WorkspaceMember.workspace_id == workspace_id).limit(2)
    ).all()
    if len(others) > 1:
        return True
    waiting = session.exec(
        select(Invitation.id)
        .where(
            Invitation.workspace_id == workspace_id,
            col(Invitation.accepted_at).is_(None),
            col(Invitation.revoked_at).is_(None),
            Invitation.expires_at > utcnow(),
        )
        .limit(1)
    ).first()
    return waiting is not None


def create_workspace(*, session: Session, user_id: int, name) -> Workspace:
    """A new shared workspace, with its creator as owner (flushed, not committed)."""
    name = text_input.one_line(name, field="name", max_length=membership.MAX_NAME)
    if not name:
        raise ValidationError("Give the workspace a name, like 'Sales'.", field="name")
    created = session.exec(
        select(WorkspaceMember.workspace_id)
        .join(Workspace, col(Workspace.id) == WorkspaceMember.workspace_id)
        .where(
            WorkspaceMember.user_id == user_id,
            WorkspaceMember.role == WorkspaceRole.OWNER,
            col(Workspace.personal).is_(False),
        )
    ).all()
    if len(created) >= MAX_CREATED:
        raise ValidationError(f"You can own at most {MAX_CREATED} shared workspaces.")
    workspace = Workspace(name=name, personal=False)
    session.add(workspace)
    session.flush()
    session.add(
        WorkspaceMember(workspace_id=workspace.id, user_id=user_id, role=WorkspaceRole.OWNER)
    )
    audit.record(
        session=session,
        action="workspace.created",
        actor_id=user_id,
        target_id=user_id,
        workspace_id=workspace.id,
        workspace=name,
    )
    session.flush()
    return workspace
