"""Who an incoming call to a number rings, and whether the workspace may take calls.

A number rings the members it is assigned to, all at once (the first to answer takes
the call, `browser_calls.answer`); a number assigned to nobody rings the workspace's
owners and admins, so a solo user's numbers ring them as before. Suspended users and
tabs that are not open are left out."""

from __future__ import annotations

from sqlmodel import Session, col, select

from callplatform.calls import presence
from callplatform.models import (
    NumberAssignment,
    User,
    UserPhoneNumber,
    WorkspaceMember,
    WorkspaceRole,
)
from callplatform.workspaces.access import MANAGERS


def people_for(*, session: Session, number: UserPhoneNumber) -> list[int]:
    """The users the number rings (online or not), in a stable order."""
    assigned = session.exec(
        select(NumberAssignment.user_id)
        .join(
            WorkspaceMember,
            (col(WorkspaceMember.user_id) == NumberAssignment.user_id)
            & (WorkspaceMember.workspace_id == number.workspace_id),
        )
        .where(NumberAssignment.number_id == number.id)
        .order_by(NumberAssignment.user_id)
    ).all()
    if assigned:
        return _not_suspended(session, list(assigned))
    managers = session.exec(
        select(WorkspaceMember.user_id)
        .where(
            WorkspaceMember.workspace_id == number.workspace_id,
            col(WorkspaceMember.role).in_([r.value for r in MANAGERS]),
        )
        .order_by(WorkspaceMember.user_id)
    ).all()
    return _not_suspended(session, list(managers))


def online_people_for(*, session: Session, number: UserPhoneNumber) -> list[int]:
    return [
        uid
        for uid in people_for(session=session, number=number)
        if presence.is_online(session=session, user_id=uid)
    ]


def _not_suspended(session: Session, user_ids: list[int]) -> list[int]:
    if not user_ids:
        return []
    active = set(
        session.exec(
            select(User.id).where(col(User.id).in_(user_ids), col(User.is_suspended).is_(False))
        ).all()
    )
    return [uid for uid in user_ids if uid in active]


def takes_calls(*, session: Session, workspace_id: int) -> bool:
    """A workspace takes calls while one of its owners is not suspended."""
    return (
        session.exec(
            select(User.id)
            .join(WorkspaceMember, col(WorkspaceMember.user_id) == User.id)
            .where(
                WorkspaceMember.workspace_id == workspace_id,
                WorkspaceMember.role == WorkspaceRole.OWNER,
                col(User.is_suspended).is_(False),
            )
            .limit(1)
        ).first()
        is not None
    )
