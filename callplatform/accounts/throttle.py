"""Slows down password guessing without letting anyone's failures lock somebody else out.

Three counters, each over a window of `login_lock_minutes`, for every failed login:
- the account *from one client* (email + client address): `login_max_failures` lock that
  client out of that account;
- the account from anywhere: four times as many (guessing spread over many addresses)
  lock the account for every client that has failed on it, while a client with no
  failure there (its owner's own device) still gets in;
- the client over every account: four times as many (trying many accounts) shorten that
  client's allowance on each account it has failed on to `FLAGGED_CLIENT_ALLOWANCE`.
A client is never refused for an account it has not failed on: behind a shared address
(a proxy without TRUSTED_PROXIES, an office) one person's typos or a guesser's made-up
emails do not keep the others out. A successful login clears its pair.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, or_
from sqlmodel import Session

from callplatform.common.errors import RateLimited
from callplatform.config import get_settings
from callplatform.models import LoginThrottle
from callplatform.models.base import utcnow

WIDER_FACTOR = 4
FLAGGED_CLIENT_ALLOWANCE = 2
# Keys fit LoginThrottle.key (300): an email is at most 254 characters once valid, but
# anything may be typed into the form.
EMAIL_CHARS, CLIENT_CHARS = 200, 64


def _pair_key(email: str, client: str) -> str:
    return f"pair:{email[:EMAIL_CHARS]}|{client[:CLIENT_CHARS]}"


def _account_key(email: str) -> str:
    return f"account:{email[:EMAIL_CHARS]}"


def _client_key(client: str) -> str:
    return f"client:{client[:CLIENT_CHARS]}"


def _locked(row: LoginThrottle | None, now: datetime) -> bool:
    return bool(row and row.locked_until and row.locked_until > now)


def _live(row: LoginThrottle | None, now: datetime) -> LoginThrottle | None:
    """The row while its window is open or its lock lasts (a stale count is no count)."""
    window = timedelta(minutes=get_settings().login_lock_minutes)
    if row and (now - row.window_started_at <= window or _locked(row, now)):
        return row
    return None


def _locked_until(session: Session, email: str, client: str, now: datetime) -> datetime | None:
    """When this client may next try this account, or None if it may now."""
    pair = _live(session.get(LoginThrottle, _pair_key(email, client)), now)
    if pair is None or pair.failures == 0:
        return None  # never refused where it has not failed
    ends = []
    if _locked(pair, now):
        ends.append(pair.locked_until)
    account = session.get(LoginThrottle, _account_key(email))
    if _locked(account, now):
        ends.append(account.locked_until)
    flagged = session.get(LoginThrottle, _client_key(client))
    if _locked(flagged, now) and pair.failures >= FLAGGED_CLIENT_ALLOWANCE:
        ends.append(flagged.locked_until)
    return max(ends) if ends else None


def check_not_locked(*, session: Session, email: str, client: str) -> None:
    now = utcnow()
    until = _locked_until(session, email, client, now)
    if until is None:
        return
    seconds = (until - now).total_seconds()
    minutes = math.ceil(seconds / 60)
    raise RateLimited(
        f"Too many failed attempts. Try again in {minutes} minute"
        f"{'s' if minutes != 1 else ''}, or reset from another device.",
        retry_after_seconds=int(seconds) + 1,
    )


def _count(session: Session, key: str, limit: int, now: datetime) -> None:
    window = timedelta(minutes=get_settings().login_lock_minutes)
    row = session.get(LoginThrottle, key, with_for_update=True) or LoginThrottle(
        key=key, window_started_at=now
    )
    if now - row.window_started_at > window and not _locked(row, now):
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= limit and not row.locked_until:
        row.locked_until = now + window
    session.add(row)


def record_failure(*, session: Session, email: str, client: str) -> bool:
    """Count a failure; return True when this client is now locked out of this account."""
    limit = get_settings().login_max_failures
    now = utcnow()
    was_locked = _locked_until(session, email, client, now) is not None
    _count(session, _pair_key(email, client), limit, now)
    _count(session, _account_key(email), limit * WIDER_FACTOR, now)
    _count(session, _client_key(client), limit * WIDER_FACTOR, now)
    session.flush()
    return not was_locked and _locked_until(session, email, client, now) is not None


def clear(*, session: Session, email: str, client: str) -> None:
    row = session.get(LoginThrottle, _pair_key(email, client))
    if row:
        session.delete(row)


def prune(*, session: Session) -> int:
    """Forget counters whose window has closed and whose lock (if any) has ended: a stale
    count is no count (`_live`), so nothing changes but the table's size. The sweep runs
    this; how many rows went."""
    now = utcnow()
    stale = now - timedelta(minutes=get_settings().login_lock_minutes)
    gone = session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_started_at < stale,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
        )
    )
    return gone.rowcount
