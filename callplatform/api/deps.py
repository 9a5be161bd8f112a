"""Who is calling the public API: a bearer JWT or personal API token, resolved to a
live user on the server on every request, then counted against that user's budget."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from callplatform.accounts import api_tokens, bearer, rate_limit, sessions
from callplatform.api.schemas import PathId
from callplatform.common.errors import AuthenticationError, NotFound
from callplatform.config import get_settings
from callplatform.db import read_scope, session_scope
from callplatform.models import User
from callplatform.workspaces import access
from callplatform.workspaces.access import Member

_bearer = HTTPBearer(
    auto_error=False,
    description="A JWT from POST /api/auth/token, or a personal API token (cp_...).",
)


def current_user(
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> User:
    header = f"Bearer {credentials.credentials}" if credentials else None
    with session_scope() as session:
        user = bearer.resolve_bearer(session=session, authorization=header)
    if user is None:
        raise AuthenticationError("Send a valid token: Authorization: Bearer <token>.")
    rate_limit.check(key=f"user:{user.id}", limit=get_settings().api_requests_per_minute)
    return user


def cookie_user(request: Request) -> User | None:
    """The browser's signed-in user (the UI's session cookie), for routes the web app
    itself calls: recording audio, Voice SDK tokens."""
    with read_scope() as session:
        return sessions.get_session_user(
            session=session, token=request.cookies.get(sessions.SESSION_COOKIE)
        )


def current_member(
    user: User = Depends(current_user),
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> Member:
    """The caller as a member of the workspace their credential acts in."""
    header = f"Bearer {credentials.credentials}" if credentials else None
    with read_scope() as session:
        member = bearer.acting_member(session=session, user=user, authorization=header)
    if member is None:
        raise AuthenticationError("This token no longer has access to its workspace.")
    return member


def member_in(
    workspace_id: PathId,
    user: User = Depends(current_user),
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> Member:
    """The caller as a member of `workspace_id` (a path parameter): a JWT reaches any
    of the user's workspaces, an API token only its own. NotFound (404) otherwise, so a
    workspace one is not in is not revealed to exist."""
    header = f"Bearer {credentials.credentials}" if credentials else None
    with read_scope() as session:
        if api_tokens.is_api_token(credentials.credentials if credentials else ""):
            member = bearer.acting_member(session=session, user=user, authorization=header)
            if member is None or member.workspace_id != workspace_id:
                raise NotFound("Workspace not found.")
            return member
        return access.acting_member(session=session, user_id=user.id, workspace_id=workspace_id)


def is_api_token(credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> bool:
    """Does the caller use a personal API token (which acts in one workspace only)?"""
    return api_tokens.is_api_token(credentials.credentials if credentials else "")
