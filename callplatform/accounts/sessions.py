"""Login sessions: an opaque random token for the browser, only its hash on the server.

The browser gets its token only as an HttpOnly cookie, set by an HTTP response: the login
form (a websocket event) cannot set one, so it makes a one-time code instead and the page
navigates to `ESTABLISH_PATH` with it, which trades the code for the session cookie. A code
is a session row that lives `HANDOFF_SECONDS` under the code's hash; the trade gives that
row a fresh token and its full lifetime, so a code works once, and one never traded (a
closed tab) expires on its own. Until then it is worth exactly what its trade gives.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, select, update

from callplatform.config import get_settings
from callplatform.models import AuthSession, User
from callplatform.models.base import utcnow
from callplatform.workspaces import membership

# The browser cookie that carries the token: HttpOnly, set by `ESTABLISH_PATH`, cleared by
# `END_PATH`; read by the UI's state (from its websocket's headers) and the media route.
SESSION_COOKIE = "cp_session"
ESTABLISH_PATH = "/api/session/establish"
END_PATH = "/api/session/end"
HANDOFF_SECONDS = 60


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lifetime() -> timedelta:
    return timedelta(hours=get_settings().session_ttl_hours)


def _new_row(session: Session, user_id: int, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        AuthSession(
            user_id=user_id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + lifetime,
            workspace_id=membership.starting_workspace_id(session=session, user_id=user_id),
        )
    )
    session.flush()
    return token


def create_session(*, session: Session, user_id: int) -> str:
    """Start a login and return the raw token (shown to the browser once)."""
    return _new_row(session, user_id, _lifetime())


def create_handoff(*, session: Session, user_id: int) -> str:
    """Start a login for a browser: a one-time code for `ESTABLISH_PATH`."""
    return _new_row(session, user_id, timedelta(seconds=HANDOFF_SECONDS))


def claim_handoff(*, session: Session, code: str, user_agent: str = "") -> str | None:
    """Trade a live one-time code for a session token, once; None for anything else.
    `user_agent` (the browser's own words, trimmed) helps the user tell sessions apart."""
    if not code or len(code) > 128:
        return None
    now = utcnow()
    row = session.exec(
        select(AuthSession).where(
            AuthSession.token_hash == hash_token(code),
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > now,
        )
    ).first()
    if row is None or row.expires_at - row.created_at > timedelta(seconds=HANDOFF_SECONDS):
        return None  # unknown, used, expired, or a real session's token
    token = secrets.token_urlsafe(32)
    traded = session.exec(
        update(AuthSession)
        .where(AuthSession.id == row.id, AuthSession.token_hash == hash_token(code))
        .values(
            token_hash=hash_token(token),
            expires_at=now + _lifetime(),
            user_agent="".join(ch for ch in (user_agent or "") if ch.isprintable())[:255],
            last_seen_at=now,
        )
    )
    return token if traded.rowcount == 1 else None  # a concurrent trade won


def token_from_cookie_header(header: str | None) -> str:
    """The session token in a raw `Cookie:` header ("" when absent)."""
    for part in (header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE:
            return value.strip().strip('"')
    return ""


def get_session_user(*, session: Session, token: str | None) -> User | None:
    """The user a token belongs to, or None if missing, expired, revoked or suspended."""
    if not token or len(token) > 128:
        return None
    row = session.exec(
        select(User)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(
            AuthSession.token_hash == hash_token(token),
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > utcnow(),
        )
    ).first()
    if row is None or row.is_suspended:
        return None
    return row


def revoke_session(*, session: Session, token: str) -> None:
    session.exec(
        update(AuthSession)
        .where(AuthSession.token_hash == hash_token(token), AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_user_sessions(*, session: Session, user_id: int, keep_token: str | None = None) -> None:
    """Revoke every live session of a user (password change, suspension)."""
    query = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if keep_token:
        query = query.where(AuthSession.token_hash != hash_token(keep_token))
    session.exec(query.values(revoked_at=utcnow()))
