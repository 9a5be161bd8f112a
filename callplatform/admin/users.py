"""User administration: roles and the look-ups admins make. Only admins may act."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, col, select

from callplatform.accounts import sessions
from callplatform.common import audit, ids, text_input
from callplatform.common.errors import NotFound, PermissionDenied
from callplatform.common.permissions import require_admin
from callplatform.common.phone_service import twilio_call
from callplatform.db import end_transaction
from callplatform.models import Role, User, Workspace, WorkspaceMember, WorkspaceRole
from callplatform.telephony import gateway
from callplatform.tenancy import subaccounts
from callplatform.workspaces import membership

MAX_EMAIL = 254


def get_user(*, session: Session, user_id: int) -> User:
    user = session.get(User, user_id) if ids.is_id(user_id) else None
    if user is None:
        raise NotFound("No such user.")
    return user


def list_users(*, session: Session, actor: User, search: str = "", limit: int = 100) -> list[User]:
    require_admin(actor)
    if text_input.has_control(search) or len(search) > MAX_EMAIL:
        return []  # no email has control characters or is that long
    query = select(User).order_by(col(User.id))
    if search:
        query = query.where(col(User.email).contains(search.strip().lower()))
    return list(session.exec(query.limit(min(limit, 200))))


def promote_to_admin(*, session: Session, actor: User, user_id: int) -> User:
    require_admin(actor)
    user = get_user(session=session, user_id=user_id)
    user.role = Role.ADMIN
    session.add(user)
    audit.record(session=session, action="admin.promote", actor_id=actor.id, target_id=user.id)
    return user


def set_suspended(*, session: Session, actor: User, user_id: int, suspended: bool) -> User:
    """Suspend (sessions end at once; calls and logins refused; their Twilio subaccount
    suspended, so their numbers stop taking calls) or reactivate a user.

    Our side is committed first, so the suspension holds at once even if Twilio is slow."""
    require_admin(actor)
    user = get_user(session=session, user_id=user_id)
    if user.id == actor.id and suspended:
        raise PermissionDenied("You can't suspend yourself.")
    user.is_suspended = bool(suspended)
    session.add(user)
    if suspended:
        sessions.revoke_user_sessions(session=session, user_id=user.id)
    action = "admin.suspend" if suspended else "admin.reactivate"
    audit.record(session=session, action=action, actor_id=actor.id, target_id=user.id)
    # The subaccount of the workspace they own alone (a team's goes on for the others).
    personal = membership.personal_workspace_id(session=session, user_id=user.id)
    sub = subaccounts.get_subaccount(session=session, workspace_id=personal) if personal else None
    end_transaction(session)
    if sub is not None:
        with twilio_call(prefix="Saved here, but Twilio did not update the subaccount: "):
            gateway.update_subaccount_status(
                account_sid=sub.account_sid, status="suspended" if suspended else "active"
            )
    return user


def personal_caps(*, session: Session, user_ids: list[int]) -> dict[int, Decimal]:
    """{user id: their personal workspace's own monthly cap}, for the users who set one
    (or whose cap a platform admin set): one query for a page of users."""
    if not user_ids:
        return {}
    rows = session.exec(
        select(WorkspaceMember.user_id, Workspace.monthly_cap)
        .join(Workspace, col(Workspace.id) == WorkspaceMember.workspace_id)
        .where(
            col(WorkspaceMember.user_id).in_(user_ids),
            WorkspaceMember.role == WorkspaceRole.OWNER,
            col(Workspace.personal).is_(True),
            col(Workspace.monthly_cap).is_not(None),
        )
    ).all()
    return dict(rows)
