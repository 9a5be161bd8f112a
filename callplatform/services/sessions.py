"""Login sessions: an opaque random token for the browser, only its hash on the server."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, select, update

from callplatform.config import get_settings
from callplatform.models import AuthSession, User
from callplatform.models.base import utcnow

# The browser cookie that carries the token (the UI sets it, the media route reads it).
SESSION_COOKIE = "cp_session"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(*, session: Session, user_id: int) -> str:
    """Start a login and return the raw token (shown to the browser once)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        AuthSession(
            user_id=user_id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + timedelta(hours=get_settings().session_ttl_hours),
        )
    )
    session.flush()
    return token


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
