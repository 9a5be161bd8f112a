"""Who a bearer credential on the public API belongs to: a short-lived JWT from
`POST /api/auth/token`, or a personal API token.

The JWT is HS256, signed with a key derived from the app secret, and names the user and
the moment their password last changed, so changing the password ends every JWT."""

from __future__ import annotations

from datetime import timedelta

import jwt
from sqlmodel import Session

from callplatform.accounts import api_tokens
from callplatform.common.errors import NotFound
from callplatform.config import get_settings
from callplatform.models import User
from callplatform.models.base import utcnow
from callplatform.workspaces import access, membership

ACCESS_TOKEN_TTL = timedelta(minutes=15)
ALGORITHM = "HS256"
AUDIENCE = "callplatform-api"


def _key() -> bytes:
    return get_settings().derived_key("api-jwt")


def _password_stamp(user: User) -> int:
    """When the password last changed, to the microsecond (a token names it)."""
    return round(user.password_changed_at.timestamp() * 1_000_000)


def issue_access_token(*, user: User) -> tuple[str, int]:
    """A signed JWT for the user and its lifetime in seconds."""
    now = utcnow()
    claims = {
        "sub": str(user.id),
        "aud": AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int((now + ACCESS_TOKEN_TTL).timestamp()),
        "pwd": _password_stamp(user),
    }
    return jwt.encode(claims, _key(), algorithm=ALGORITHM), int(ACCESS_TOKEN_TTL.total_seconds())


def _jwt_user(session: Session, token: str) -> User | None:
    try:
        claims = jwt.decode(
            token,
            _key(),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["sub", "exp", "iat", "aud", "pwd"]},
        )
        user_id = int(claims["sub"])
        password_stamp = int(claims["pwd"])
    except (jwt.PyJWTError, TypeError, ValueError):
        return None
    user = session.get(User, user_id)
    if user is None or user.is_suspended:
        return None
    if _password_stamp(user) != password_stamp:
        return None  # the password changed after this token was issued
    return user


def resolve_bearer(*, session: Session, authorization: str | None) -> User | None:
    """The user an `Authorization: Bearer ...` header names, or None."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 2048:
        return None
    if api_tokens.is_api_token(token):
        return api_tokens.get_token_user(session=session, raw=token)
    return _jwt_user(session, token)


def acting_member(*, session: Session, user: User, authorization: str | None):
    """The bearer's user as a member of the workspace the credential acts in: an API
    token's own workspace (None once the user left it), a JWT's starting workspace."""
    token = (authorization or "").partition(" ")[2].strip()
    if api_tokens.is_api_token(token):
        workspace_id = api_tokens.token_workspace_id(session=session, raw=token)
    else:
        workspace_id = membership.starting_workspace_id(session=session, user_id=user.id)
    if workspace_id is None:
        return None
    try:
        return access.acting_member(session=session, user_id=user.id, workspace_id=workspace_id)
    except NotFound:
        return None
