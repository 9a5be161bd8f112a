"""A user's profile (display name, time zone) and the sessions signed in to their account.

Every function takes the acting user and touches only that user's rows."""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from callplatform.accounts.sessions import hash_token
from callplatform.common import ids, text_input
from callplatform.common.errors import NotFound, ValidationError
from callplatform.models import AuthSession, User
from callplatform.models.base import utcnow

MAX_NAME = 64
DEFAULT_ZONE = "UTC"
SEEN_EVERY = timedelta(minutes=1)


@functools.cache
def time_zones() -> tuple[str, ...]:
    """The IANA zones a user may pick, sorted (UTC first)."""
    zones = sorted(
        z
        for z in zoneinfo.available_timezones()
        if "/" in z and not z.startswith(("Etc/", "SystemV/"))
    )
    return (DEFAULT_ZONE, *zones)


def check_zone(zone: str) -> str:
    zone = (zone or "").strip() if isinstance(zone, str) else ""
    if zone not in time_zones():
        raise ValidationError(
            "Pick a time zone from the list, like Europe/Paris.", field="time_zone"
        )
    return zone


def shown_zone(user: User) -> str:
    return user.time_zone or DEFAULT_ZONE


def update_profile(*, session: Session, user: User, display_name: str, time_zone: str) -> None:
    """Save the name and zone together; on any bad value nothing changes."""
    name = text_input.one_line(display_name, field="display_name", max_length=MAX_NAME)
    zone = check_zone(time_zone)
    row = session.get(User, user.id)
    row.display_name, row.time_zone = name, zone
    session.add(row)


def adopt_browser_zone(*, session: Session, user: User, zone: str) -> str:
    """The browser's zone becomes the user's if they never chose one and it is a real IANA
    zone; returns the zone now in force."""
    row = session.get(User, user.id)
    if not row.time_zone and isinstance(zone, str) and zone in time_zones():
        row.time_zone = zone
        session.add(row)
    return shown_zone(row)


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"))
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """A user agent in words, like "Firefox on Windows" (as the browser said; unknown
    agents as they came, shortened)."""
    ua = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in ua), "")
    if not browser and "Safari/" in ua and "Version/" in ua:
        browser = "Safari"
    system = next((name for mark, name in _SYSTEMS if mark in ua), "")
    if browser and system:
        return f"{browser} on {system}"
    return (ua[:60] + "…") if len(ua) > 60 else (ua or "Unknown browser")


@dataclass(frozen=True)
class SessionInfo:
    id: int
    user_agent: str
    created_at: datetime
    last_seen_at: datetime | None
    current: bool


def _live(user_id: int):
    return select(AuthSession).where(
        AuthSession.user_id == user_id,
        AuthSession.revoked_at.is_(None),
        AuthSession.expires_at > utcnow(),
    )


def list_sessions(*, session: Session, user: User, current_token: str) -> list[SessionInfo]:
    """The user's live sessions, this one first, then the most recently seen."""
    current = hash_token(current_token) if current_token else ""
    rows = session.exec(_live(user.id).order_by(col(AuthSession.created_at).desc())).all()
    infos = [
        SessionInfo(r.id, r.user_agent, r.created_at, r.last_seen_at, r.token_hash == current)
        for r in rows
        if r.expires_at - r.created_at > timedelta(minutes=5)  # not a login's one-time code
    ]
    return sorted(
        infos, key=lambda i: (not i.current, -(i.last_seen_at or i.created_at).timestamp())
    )


def end_session(*, session: Session, user: User, session_id: int) -> None:
    row = session.get(AuthSession, session_id) if ids.is_id(session_id) else None
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        raise NotFound("That session isn't one of yours, or it has already ended.")
    row.revoked_at = utcnow()
    session.add(row)


def end_other_sessions(*, session: Session, user: User, keep_token: str) -> None:
    """Sign out everywhere but the session `keep_token` names (logins under way too)."""
    session.exec(
        update(AuthSession)
        .where(
            AuthSession.user_id == user.id,
            AuthSession.revoked_at.is_(None),
            AuthSession.token_hash != hash_token(keep_token or "-"),
        )
        .values(revoked_at=utcnow())
    )


def mark_seen(*, session: Session, token: str) -> None:
    """Note that a page loaded under this session (at most one write a minute)."""
    if not token or len(token) > 128:
        return
    now = utcnow()
    session.exec(
        update(AuthSession)
        .where(
            AuthSession.token_hash == hash_token(token),
            (AuthSession.last_seen_at.is_(None)) | (AuthSession.last_seen_at < now - SEEN_EVERY),
        )
        .values(last_seen_at=now)
    )
