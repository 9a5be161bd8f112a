"""Personal API tokens: a user creates, names and revokes them on the Settings page.

The raw token (`cp_...`) is shown once, when it is made; we keep its SHA-256 and its
first characters, so a leaked database holds nothing that opens the API."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlmodel import Session, col, select

from callplatform.accounts.sessions import hash_token
from callplatform.common import audit, ids, text_input
from callplatform.common.errors import NotFound, ValidationError
from callplatform.models import ApiToken, User
from callplatform.models.base import utcnow
from callplatform.workspaces import access, membership

TOKEN_PREFIX = "cp_"
MAX_TOKENS = 20
MAX_NAME = 64
TOUCH_EVERY = timedelta(minutes=1)


def is_api_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


def create_token(
    *, session: Session, owner_id: int, name: str, workspace_id: int | None = None
) -> tuple[ApiToken, str]:
    """Make a token acting in `workspace_id` (one of the owner's; default: where their
    logins start); returns the row and the raw token, which is never shown again."""
    name = text_input.one_line(name, field="name", max_length=MAX_NAME)
    if not name:
        raise ValidationError("Give the token a name, like 'CRM sync'.", field="name")
    if len(list_tokens(session=session, owner_id=owner_id)) >= MAX_TOKENS:
        raise ValidationError(f"You can have at most {MAX_TOKENS} tokens. Revoke one first.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    if workspace_id is None:
        workspace_id = membership.starting_workspace_id(session=session, user_id=owner_id)
    else:  # NotFound unless the owner is a member there
        access.acting_member(session=session, user_id=owner_id, workspace_id=workspace_id)
    row = ApiToken(
        user_id=owner_id,
        workspace_id=workspace_id,
        name=name,
        token_hash=hash_token(raw),
        prefix=raw[:10],
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        action="token.created",
        actor_id=owner_id,
        target_id=owner_id,
        name=name,
        prefix=row.prefix,
    )
    return row, raw


def list_tokens(*, session: Session, owner_id: int) -> list[ApiToken]:
    """The owner's live tokens, newest first."""
    return list(
        session.exec(
            select(ApiToken)
            .where(ApiToken.user_id == owner_id, ApiToken.revoked_at.is_(None))
            .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc())
        )
    )


def revoke_token(*, session: Session, owner_id: int, token_id: int) -> None:
    row = session.get(ApiToken, token_id) if ids.is_id(token_id) else None
    if row is None or row.user_id != owner_id or row.revoked_at is not None:
        raise NotFound("That token isn't one of yours.")
    row.revoked_at = utcnow()
    session.add(row)
    audit.record(
        session=session,
        action="token.revoked",
        actor_id=owner_id,
        target_id=owner_id,
        name=row.name,
        prefix=row.prefix,
    )


def get_token_user(*, session: Session, raw: str) -> User | None:
    """The live, unsuspended owner of a raw token, or None."""
    if not is_api_token(raw) or len(raw) > 128:
        return None
    row = session.exec(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(raw), ApiToken.revoked_at.is_(None)
        )
    ).first()
    user = session.get(User, row.user_id) if row else None
    if user is None or user.is_suspended:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        row.last_used_at = now  # about when, not every request: no write per call
        session.add(row)
    return user


def token_workspace_id(*, session: Session, raw: str) -> int | None:
    """The workspace a live token acts in (made in; None for anything else)."""
    if not is_api_token(raw) or len(raw) > 128:
        return None
    return session.exec(
        select(ApiToken.workspace_id).where(
            ApiToken.token_hash == hash_token(raw), ApiToken.revoked_at.is_(None)
        )
    ).first()
