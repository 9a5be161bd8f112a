"""Who belongs to which workspace, and the personal workspace every user gets."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from callplatform.models import User, Workspace, WorkspaceMember, WorkspaceRole

MAX_NAME = 64


@dataclass(frozen=True)
class Belonging:
    """One of a user's workspaces, as a switcher lists it."""

    workspace_id: int
    name: str
    role: WorkspaceRole
    personal: bool


def personal_name(user: User) -> str:
    return user.shown_name[:MAX_NAME]


def create_personal(*, session: Session, user: User) -> Workspace:
    """The user's own workspace, with them as its owner (flushed, not committed)."""
    workspace = Workspace(name=personal_name(user), personal=True)
    session.add(workspace)
    session.flush()
    session.add(
        WorkspaceMember(workspace_id=workspace.id, user_id=user.id, role=WorkspaceRole.OWNER)
    )
    session.flush()
    return workspace


def workspaces_of(*, session: Session, user_id: int) -> list[Belonging]:
    """The user's workspaces: the personal one first, then by name."""
    rows = session.exec(
        select(Workspace, WorkspaceMember.role)
        .join(WorkspaceMember, col(WorkspaceMember.workspace_id) == Workspace.id)
        .where(WorkspaceMember.user_id == user_id)
        .order_by(col(Workspace.personal).desc(), Workspace.name, Workspace.id)
    ).all()
    return [
        Belonging(workspace_id=w.id, name=w.name, role=WorkspaceRole(role), personal=w.personal)
        for w, role in rows
    ]


def personal_workspace_id(*, session: Session, user_id: int) -> int | None:
    """The workspace the user owns alone: where their subaccount and numbers live today."""
    return session.exec(
        select(Workspace.id)
        .join(WorkspaceMember, col(WorkspaceMember.workspace_id) == Workspace.id)
        .where(
            WorkspaceMember.user_id == user_id,
            WorkspaceMember.role == WorkspaceRole.OWNER,
            col(Workspace.personal).is_(True),
        )
        .order_by(Workspace.id)
    ).first()


def starting_workspace_id(*, session: Session, user_id: int) -> int | None:
    """Where a new login acts: the personal workspace, else the first the user belongs to."""
    belongs = workspaces_of(session=session, user_id=user_id)
    return belongs[0].workspace_id if belongs else None
