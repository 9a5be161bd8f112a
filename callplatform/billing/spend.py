"""Spend controls against toll fraud: a monthly cap per workspace (the platform default,
or the workspace's own lower one), optional caps per member inside it, and a limit on
call attempts per minute per workspace."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from callplatform.billing.usage import Month
from callplatform.common import audit, ids
from callplatform.common.errors import RateLimited, ValidationError
from callplatform.common.permissions import require_admin
from callplatform.models import (
    CallAttempt,
    CostItem,
    PlatformSetting,
    User,
    Workspace,
    WorkspaceMember,
)
from callplatform.models.base import utcnow
from callplatform.workspaces import membership
from callplatform.workspaces.access import Member, require_manager

# Money columns hold 9 digits before the point; no cap needs more than this.
MAX_CAP = Decimal("1000000")


def _check_cap(cap: Decimal | None) -> None:
    """Refuse what is no amount (NaN, infinity), a negative one, or one past MAX_CAP."""
    if cap is None:
        return
    if not isinstance(cap, Decimal) or not cap.is_finite() or cap < 0:
        raise ValidationError("Enter an amount of 0 or more, like 25.00.", field="cap")
    if cap > MAX_CAP:
        raise ValidationError(f"A cap can be at most ${MAX_CAP:,.0f}.", field="cap")


def platform_settings(*, session: Session) -> PlatformSetting:
    return session.get(PlatformSetting, 1) or PlatformSetting()


def effective_cap(*, session: Session, workspace_id: int) -> Decimal:
    """The platform default, or the workspace's own lower cap."""
    default = platform_settings(session=session).default_monthly_cap
    workspace = session.get(Workspace, workspace_id)
    own = workspace.monthly_cap if workspace else None
    return min(default, own) if own is not None else default


def month_spend(*, session: Session, workspace_id: int, handled_by: int | None = None) -> Decimal:
    """The workspace's spend this month (`handled_by`: only that member's calls and texts)."""
    month = Month.current()
    query = select(func.sum(CostItem.charge)).where(
        CostItem.workspace_id == workspace_id,
        CostItem.occurred_at >= month.start,
        CostItem.occurred_at < month.end,
    )
    if handled_by is not None:
        query = query.where(CostItem.handled_by == handled_by)
    return Decimal(session.exec(query).one() or 0)


def cap_usage_percent(*, session: Session, workspace_id: int) -> int:
    cap = effective_cap(session=session, workspace_id=workspace_id)
    if cap <= 0:
        return 100
    return int(month_spend(session=session, workspace_id=workspace_id) * 100 / cap)


def check_can_spend(*, session: Session, workspace_id: int, user_id: int | None = None) -> None:
    """Refuse new spending (a call, a text) above the workspace's cap, or above the
    member's own cap when an admin set one."""
    cap = effective_cap(session=session, workspace_id=workspace_id)
    if month_spend(session=session, workspace_id=workspace_id) >= cap:
        raise ValidationError(
            f"You've reached your monthly spend cap of ${cap:.2f}. Calls resume next month, "
            "or raise your cap on the Usage page."
        )
    mine = session.get(WorkspaceMember, (workspace_id, user_id)) if user_id else None
    if mine is not None and mine.monthly_cap is not None:
        spent = month_spend(session=session, workspace_id=workspace_id, handled_by=user_id)
        if spent >= mine.monthly_cap:
            raise ValidationError(
                f"You've reached your own monthly cap of ${mine.monthly_cap:.2f} in this "
                "workspace. Ask an admin to raise it."
            )


def check_can_call(*, session: Session, workspace_id: int, user_id: int | None = None) -> None:
    """Refuse a new call above the caps or the workspace's per-minute attempt limit."""
    check_can_spend(session=session, workspace_id=workspace_id, user_id=user_id)
    limit = platform_settings(session=session).calls_per_minute
    recent = session.exec(
        select(func.count())
        .select_from(CallAttempt)
        .where(
            CallAttempt.workspace_id == workspace_id,
            CallAttempt.at >= utcnow() - timedelta(minutes=1),
        )
    ).one()
    if recent >= limit:
        raise RateLimited(
            f"Too many calls: at most {limit} a minute. Wait a moment and try again.",
            retry_after_seconds=60,
        )


def record_attempt(*, session: Session, workspace_id: int) -> None:
    session.add(CallAttempt(workspace_id=workspace_id))


def set_workspace_cap(*, session: Session, member: Member, cap: Decimal | None) -> None:
    """The workspace's owners and admins may lower its cap below the platform default,
    never raise it above."""
    require_manager(member)
    _check_cap(cap)
    if cap is not None:
        default = platform_settings(session=session).default_monthly_cap
        if cap > default:
            raise ValidationError(f"Your cap can be at most ${default:.2f}.", field="cap")
    workspace = session.get(Workspace, member.workspace_id)
    workspace.monthly_cap = cap
    session.add(workspace)


def set_member_cap(*, session: Session, member: Member, user_id: int, cap: Decimal | None) -> None:
    """An admin or owner caps one member's own spending inside the workspace's cap."""
    require_manager(member)
    _check_cap(cap)
    row = (
        session.get(WorkspaceMember, (member.workspace_id, user_id)) if ids.is_id(user_id) else None
    )
    if row is None:
        raise ValidationError("That person isn't a member of this workspace.")
    row.monthly_cap = cap
    session.add(row)
    audit.record(
        session=session,
        action="workspace.member_cap",
        actor_id=member.user_id,
        target_id=user_id,
        workspace_id=member.workspace_id,
        cap=cap,
    )


def update_platform_settings(
    *, session: Session, actor: User, default_cap: Decimal, calls_per_minute: int
) -> PlatformSetting:
    """Admins set the platform default cap and the call-rate limit."""
    require_admin(actor)
    _check_cap(default_cap)
    if not isinstance(calls_per_minute, int) or not 1 <= calls_per_minute <= 600:
        raise ValidationError("Use a cap of 0 or more and 1-600 calls a minute.")
    row = session.get(PlatformSetting, 1) or PlatformSetting(id=1)
    was = (row.default_monthly_cap, row.calls_per_minute)
    row.default_monthly_cap, row.calls_per_minute = default_cap, calls_per_minute
    session.add(row)
    audit.record(
        session=session,
        action="admin.settings",
        actor_id=actor.id,
        default_cap=default_cap,
        calls_per_minute=calls_per_minute,
        was_default_cap=was[0],
        was_calls_per_minute=was[1],
    )
    return row


def set_user_cap(*, session: Session, actor: User, user_id: int, cap: Decimal | None) -> None:
    """Platform admins set the cap of any user's personal workspace (None: the platform
    default)."""
    require_admin(actor)
    user = session.get(User, user_id) if ids.is_id(user_id) else None
    if user is None:
        raise ValidationError("No such user.")
    _check_cap(cap)
    workspace = session.get(
        Workspace, membership.personal_workspace_id(session=session, user_id=user.id)
    )
    was, workspace.monthly_cap = workspace.monthly_cap, cap
    session.add(workspace)
    audit.record(
        session=session,
        action="admin.set_cap",
        actor_id=actor.id,
        target_id=user.id,
        cap=cap,
        was=was,
    )
