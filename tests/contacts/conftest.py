"""A shared workspace (Sales: Olga the owner, Mia and Max members) and Bob alone in his
personal one, each as the acting Member the services take."""

from __future__ import annotations

import pytest

from callplatform.db import session_scope
from callplatform.models import Workspace, WorkspaceMember, WorkspaceRole
from callplatform.workspaces import access, membership
from tests.helpers import make_user


def member_of(user_id: int, workspace_id: int) -> access.Member:
    with session_scope() as s:
        return access.acting_member(session=s, user_id=user_id, workspace_id=workspace_id)


@pytest.fixture
def people(db_url):
    olga, mia, max_, bob = (make_user(f"{n}@example.com") for n in ("olga", "mia", "max", "bob"))
    with session_scope() as s:
        team = Workspace(name="Sales")
        s.add(team)
        s.flush()
        s.add(WorkspaceMember(workspace_id=team.id, user_id=olga, role=WorkspaceRole.OWNER))
        s.add_all(WorkspaceMember(workspace_id=team.id, user_id=u) for u in (mia, max_))
        team_id = team.id
        bobs = membership.personal_workspace_id(session=s, user_id=bob)
    return {
        "olga": member_of(olga, team_id),
        "mia": member_of(mia, team_id),
        "max": member_of(max_, team_id),
        "bob": member_of(bob, bobs),
    }
