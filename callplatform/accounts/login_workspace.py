"""The workspace a login acts in. It is kept on the login's row on the server; switching
checks the membership, so a browser can only ever act where its user belongs."""

from __future__ import annotations

from sqlmodel import Session, select, update

from callplatform.accounts.sessions import hash_token
from callplatform.common import ids
from callplatform.common.errors import NotFound
from callplatform.models import AuthSession
from callplatform.workspaces import access, membership


def acting_member(*, session: Session, token: str, user_id: int) -> access.Member | None:
    """The login's user as a member of the workspace it acts in; None when they belong
    to none any more (the workspace they acted in is not theirs: back to their first)."""
    workspace_id = session.exec(
        select(AuthSession.workspace_id).where(AuthSession.token_hash == hash_token(token))
    ).first()
    starting = membership.starting_workspace_id(session=session, user_id=user_id)
    for candidate in (workspace_id, starting):
        if candidate is None:
            continue
        try:
            return access.acting_member(session=session, user_id=user_id, workspace_id=candidate)
        except NotFound:
            continue
    return None


def switch(*, session: Session, token: str, user_id: int, workspace_id) -> access.Member:
    """Act in another of the user's workspaces from now on (NotFound if not theirs)."""
    member = access.acting_member(
        session=session, user_id=user_id, workspace_id=ids.as_id(workspace_id)
    )
    session.exec(
        update(AuthSession)
        .where(AuthSession.token_hash == hash_token(token), AuthSession.user_id == user_id)
        .values(workspace_id=member.workspace_id)
    )
    return member
