"""The acting member: resolved on the server from the login (or API token) and the
workspace it acts in, never from what a browser sends. Services take it and check role
and number assignment themselves."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from callplatform.common import ids
from callplatform.common.errors import NotFound, PermissionDenied
from callplatform.models import (
    NumberAssignment,
    NumberStatus,
    UserPhoneNumber,
    WorkspaceMember,
    WorkspaceRole,
)

MANAGERS = frozenset({WorkspaceRole.OWNER, WorkspaceRole.ADMIN})


@dataclass(frozen=True)
class Member:
    workspace_id: int
    user_id: int
    role: WorkspaceRole
    # The workspace's numbers assigned to this member (an admin or owner sees them all).
    number_ids: frozenset[int]

    @property
    def manages(self) -> bool:
        """Admins and owners: members, numbers, settings and all of the history."""
        return self.role in MANAGERS

    def may_use_number(self, number_id: int | None) -> bool:
        return self.manages or number_id in self.number_ids


def acting_member(*, session: Session, user_id: int, workspace_id: int) -> Member:
    """The user as a member of the workspace; NotFound if they are not one (a workspace
    they don't belong to is not revealed to exist)."""
    role = session.exec(
        select(WorkspaceMember.role).where(
            WorkspaceMember.workspace_id == workspace_id, WorkspaceMember.user_id == user_id
        )
    ).first()
    if role is None:
        raise NotFound("Workspace not found.")
    assigned = session.exec(
        select(NumberAssignment.number_id)
        .join(UserPhoneNumber, col(UserPhoneNumber.id) == NumberAssignment.number_id)
        .where(NumberAssignment.user_id == user_id, UserPhoneNumber.workspace_id == workspace_id)
    ).all()
    return Member(
        workspace_id=workspace_id,
        user_id=user_id,
        role=WorkspaceRole(role),
        number_ids=frozenset(assigned),
    )


def require_manager(member: Member) -> None:
    if not member.manages:
        raise PermissionDenied("Only the workspace's admins can do that.")


def usable_number(*, session: Session, member: Member, number_id) -> UserPhoneNumber:
    """One of the workspace's live numbers this member may use (an admin or owner: any),
    else NotFound: a number they may not use is not revealed to exist."""
    row = session.get(UserPhoneNumber, number_id) if ids.is_id(number_id) else None
    if (
        row is None
        or row.workspace_id != member.workspace_id
        or row.status != NumberStatus.ACTIVE
        or not member.may_use_number(row.id)
    ):
        raise NotFound("That number isn't one of this workspace's.")
    return row
