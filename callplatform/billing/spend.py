"""Spend controls against toll fraud: a monthly cap per user (the platform default, or the
user's own lower one) and a limit on call attempts per minute."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from callplatform.billing.usage import Month
from callplatform.common import audit, ids
from callplatform.common.errors import RateLimited, ValidationError
from callplatform.common.permissions import require_admin
from callplatform.models import CallAttempt, CostItem, PlatformSetting, User
from callplatform.models.base import utcnow

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


def effective_cap(*, session: Session, user: User) -> Decimal:
    default = platform_settings(session=session).default_monthly_cap
    own = user.monthly_cap
    return min(default, own) if own is not None else default


def month_spend(*, session: Session, user_id: int) -> Decimal:
    month = Month.current()
    total = session.exec(
        select(func.sum(CostItem.charge)).where(
            CostItem.user_id == user_id,
            CostItem.occurred_at >= month.start,
            CostItem.occurred_at < month.end,
        )
    ).one()
    return Decimal(total or 0)


def cap_usage_percent(*, session: Session, user: User) -> int:
    cap = effective_cap(session=session, user=user)
    if cap <= 0:
        return 100
    return int(month_spend(session=session, user_id=user.id) * 100 / cap)


def check_can_call(*, session: Session, user: User) -> None:
    """Refuse a new call above the cap or the per-minute attempt limit."""
    cap = effective_cap(session=session, user=user)
    if month_spend(session=session, user_id=user.id) >= cap:
        raise ValidationError(
            f"You've reached your monthly spend cap of ${cap:.2f}. Calls resume next month, "
            "or raise your cap on the Usage page."
        )
    limit = platform_settings(session=session).calls_per_minute
    recent = session.exec(
        select(func.count())
        .select_from(CallAttempt)
        .where(CallAttempt.user_id == user.id, CallAttempt.at >= utcnow() - timedelta(minutes=1))
    ).one()
    if recent >= limit:
        raise RateLimited(
            f"Too many calls: at most {limit} a minute. Wait a moment and try again.",
            retry_after_seconds=60,
        )


def record_attempt(*, session: Session, user_id: int) -> None:
    session.add(CallAttempt(user_id=user_id))


def set_own_cap(*, session: Session, user: User, cap: Decimal | None) -> None:
    """A user may lower their own cap below the platform default, never raise it above."""
    _check_cap(cap)
    if cap is not None:
        default = platform_settings(session=session).default_monthly_cap
        if cap > default:
            raise ValidationError(f"Your cap can be at most ${default:.2f}.", field="cap")
    user.monthly_cap = cap
    session.add(user)


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
    """Admins set any user's cap (None: the platform default)."""
    require_admin(actor)
    user = session.get(User, user_id) if ids.is_id(user_id) else None
    if user is None:
        raise ValidationError("No such user.")
    _check_cap(cap)
    was, user.monthly_cap = user.monthly_cap, cap
    session.add(user)
    audit.record(
        session=session,
        action="admin.set_cap",
        actor_id=actor.id,
        target_id=user.id,
        cap=cap,
        was=was,
    )
