"""The team of a workspace: who is in it and in which role, changing roles, removing a
member. Every rule is checked here, on the server,
against the acting member (never against what a client sent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, delete, select, update

from callplatform.common import audit, ids
from callplatform.common.errors import NotFound, PermissionDenied, ValidationError
from callplatform.live import WORKSPACE, track
from callplatform.models import (
    ApiToken,
    AuthSession,
    NumberAssignment,
    User,
    UserPhoneNumber,
    Workspace,
    WorkspaceMember,
    WorkspaceRole,
)
from callplatform.models.base import utcnow
from callplatform.workspaces import membership
from callplatform.workspaces.access import Member, require_manager


@dataclass(frozen=True)
class TeamMember:
    user_id: int
    name: str  # the display name, "" when the user chose none
    email: str
    role: WorkspaceRole
    joined_at: datetime


def workspace_name(session: Session, workspace_id: int) -> str:
    return session.exec(select(Workspace.name).where(Workspace.id == workspace_id)).one()


def list_members(*, session: Session, member: Member) -> list[TeamMember]:
    """Everyone in the acting member's workspace: owners first, then admins, then by name.
    Any member may see who their team is."""
    rows = session.exec(
        select(WorkspaceMember, User)
        .join(User, col(User.id) == WorkspaceMember.user_id)
        .where(WorkspaceMember.workspace_id == member.workspace_id)
    ).all()
    order = {WorkspaceRole.OWNER: 0, WorkspaceRole.ADMIN: 1, WorkspaceRole.MEMBER: 2}
    team = [
        TeamMember(u.id, u.display_name, u.email, WorkspaceRole(m.role), m.joined_at)
        for m, u in rows
    ]
    return sorted(team, key=lambda t: (order[t.role], (t.name or t.email).lower(), t.user_id))


def member_ids(session: Session, workspace_id: int) -> list[int]:
    return list(
        session.exec(
            select(WorkspaceMember.user_id).where(WorkspaceMember.workspace_id == workspace_id)
        )
    )


def _membership(session: Session, member: Member, user_id) -> WorkspaceMember:
    """The row of `user_id` in the acting member's workspace (NotFound if none)."""
    target = ids.as_id(user_id)
    row = session.get(WorkspaceMember, (member.workspace_id, target)) if target else None
    if row is None:
        raise NotFound("That person isn't in this workspace.")
    return row


def _owners(session: Session, workspace_id: int) -> int:
    """How many owners; their rows locked (PostgreSQL) until the commit, so two owners
    demoting each other at once can't leave the workspace with none."""
    return len(
        session.exec(
            select(WorkspaceMember.user_id)
            .where(
                WorkspaceMember.workspace_id == workspace_id,
                WorkspaceMember.role == WorkspaceRole.OWNER,
            )
            .with_for_update()
        ).all()
    )


def as_role(role) -> WorkspaceRole:
    """A role as a client names it ("admin"), or as the enum; ValidationError otherwise."""
    try:
        return WorkspaceRole(role.value if isinstance(role, WorkspaceRole) else str(role))
    except ValueError:
        raise ValidationError("Choose owner, admin or member.", field="role") from None


def change_role(*, session: Session, member: Member, user_id, role) -> TeamMember:
    """Managers change roles; only an owner makes or unmakes owners, and the workspace
    always keeps one owner."""
    require_manager(member)
    new_role = as_role(role)
    row = _membership(session, member, user_id)
    was = WorkspaceRole(row.role)
    if WorkspaceRole.OWNER in (was, new_role) and member.role is not WorkspaceRole.OWNER:
        raise PermissionDenied("Only an owner can make or unmake owners.")
    demoting_owner = was is WorkspaceRole.OWNER and new_role is not WorkspaceRole.OWNER
    if demoting_owner and _owners(session, member.workspace_id) <= 1:
        raise ValidationError("A workspace needs an owner: make someone else owner first.")
    if was is not new_role:
        row.role = new_role
        session.add(row)
        audit.record(
            session=session,
            action="member.role_changed",
            actor_id=member.user_id,
            target_id=row.user_id,
            workspace_id=member.workspace_id,
            workspace=workspace_name(session, member.workspace_id),
            was=was.value,
            role=new_role.value,
        )
        track.announce(session, member_ids(session, member.workspace_id), WORKSPACE)
    user = session.get(User, row.user_id)
    return TeamMember(user.id, user.display_name, user.email, new_role, row.joined_at)


def remove_member(*, session: Session, member: Member, user_id) -> None:
    """Managers remove members (an admin can't remove an owner); anyone may leave. The
    removed member's access ends with this commit: their membership, their assignments
    to this workspace's numbers and their API tokens made here go; their logins acting
    here move to their first remaining workspace. The calls they handled stay."""
    row = _membership(session, member, user_id)
    leaving = row.user_id == member.user_id
    if not leaving:
        require_manager(member)
        if row.role == WorkspaceRole.OWNER and member.role is not WorkspaceRole.OWNER:
            raise PermissionDenied("Only an owner can remove an owner.")
    if row.role == WorkspaceRole.OWNER and _owners(session, member.workspace_id) <= 1:
        raise ValidationError("A workspace needs an owner: make someone else owner first.")
    team = member_ids(session, member.workspace_id)
    workspace_id, gone = member.workspace_id, row.user_id
    session.delete(row)
    numbers = select(UserPhoneNumber.id).where(UserPhoneNumber.workspace_id == workspace_id)
    session.exec(
        delete(NumberAssignment).where(
            NumberAssignment.user_id == gone, col(NumberAssignment.number_id).in_(numbers)
        )
    )
    for token in session.exec(
        select(ApiToken).where(
            ApiToken.user_id == gone,
            ApiToken.workspace_id == workspace_id,
            col(ApiToken.revoked_at).is_(None),
        )
    ):
        token.revoked_at = utcnow()  # through the ORM: their Settings page hears of it
        session.add(token)
    session.flush()
    fallback = membership.starting_workspace_id(session=session, user_id=gone)
    session.exec(
        update(AuthSession)
        .where(AuthSession.user_id == gone, AuthSession.workspace_id == workspace_id)
        .values(workspace_id=fallback)
    )
    audit.record(
        session=session,
        action="member.left" if leaving else "member.removed",
        actor_id=member.user_id,
        target_id=gone,
        workspace_id=workspace_id,
        workspace=workspace_name(session, workspace_id),
    )
    track.announce(session, team, WORKSPACE)  # their open tabs re-check at once
