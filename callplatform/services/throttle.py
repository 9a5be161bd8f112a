"""Slows down password guessing without letting an attacker lock an owner out for good.

Two counters per failed login, each in a fixed window:
- the account *from one client* (email + client address): 5 failures lock that pair,
  so a guesser elsewhere cannot lock the owner out of their own device;
- the client alone: 20 failures lock that client out of every account.
Locks expire after `login_lock_minutes`; a successful login clears the pair.
"""

from __future__ import annotations

import math
from datetime import timedelta

from sqlmodel import Session

from callplatform.config import get_settings
from callplatform.models import LoginThrottle
from callplatform.models.base import utcnow
from callplatform.services.errors import RateLimited

PER_CLIENT_FACTOR = 4


def _keys(email: str, client: str) -> list[tuple[str, int]]:
    limit = get_settings().login_max_failures
    return [
        (f"acct:{email}|client:{client}", limit),
        (f"client:{client}", limit * PER_CLIENT_FACTOR),
    ]


def check_not_locked(*, session: Session, email: str, client: str) -> None:
    now = utcnow()
    for key, _limit in _keys(email, client):
        row = session.get(LoginThrottle, key)
        if row and row.locked_until and row.locked_until > now:
            minutes = math.ceil((row.locked_until - now).total_seconds() / 60)
            raise RateLimited(
                f"Too many failed attempts. Try again in {minutes} minute"
                f"{'s' if minutes != 1 else ''}, or reset from another device.",
                retry_after_seconds=int((row.locked_until - now).total_seconds()) + 1,
            )


def record_failure(*, session: Session, email: str, client: str) -> bool:
    """Count a failure; return True when this failure locked a key."""
    settings = get_settings()
    window = timedelta(minutes=settings.login_lock_minutes)
    now = utcnow()
    locked = False
    for key, limit in _keys(email, client):
        row = session.get(LoginThrottle, key, with_for_update=True) or LoginThrottle(key=key)
        if now - row.window_started_at > window:
            row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= limit and not row.locked_until:
            row.locked_until = now + window
            locked = True
        session.add(row)
    session.flush()
    return locked


def clear(*, session: Session, email: str, client: str) -> None:
    row = session.get(LoginThrottle, _keys(email, client)[0][0])
    if row:
        session.delete(row)
