"""Teams to test with: users, a shared workspace with them in given roles, the acting
member as the server resolves it, and a login of each."""

from __future__ import annotations

from callplatform.accounts import sessions
from callplatform.db import read_scope, session_scope
from callplatform.models import User, WorkspaceMember, WorkspaceRole
from callplatform.workspaces import shared as shared_workspaces
from tests.helpers import make_user
from tests.helpers import member_of as as_member  # noqa: F401  (the team tests' names)
from tests.helpers import personal_workspace as personal  # noqa: F401

OWNER, ADMIN, MEMBER = WorkspaceRole.OWNER, WorkspaceRole.ADMIN, WorkspaceRole.MEMBER


def users(*names: str) -> list[int]:
    return [make_user(f"{name}@example.com") for name in names]


def shared(owner: int, name: str = "Sales", **roles: tuple[int, WorkspaceRole]) -> int:
    """A shared workspace made by `owner`, with `roles` = {label: (user id, role)}."""
    with session_scope() as s:
        workspace_id = shared_workspaces.create_workspace(session=s, user_id=owner, name=name).id
        for user_id, role in roles.values():
            s.add(WorkspaceMember(workspace_id=workspace_id, user_id=user_id, role=role))
    return workspace_id


def role_of(user_id: int, workspace_id: int) -> WorkspaceRole | None:
    with read_scope() as s:
        row = s.get(WorkspaceMember, (workspace_id, user_id))
        return WorkspaceRole(row.role) if row else None


def login(user_id: int) -> str:
    with session_scope() as s:
        return sessions.create_session(session=s, user_id=user_id)


def user(session, user_id: int) -> User:
    return session.get(User, user_id)
