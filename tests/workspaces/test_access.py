"""The acting member: the workspace a login acts in is kept on the server, switching
checks the membership, and a member's numbers are only the ones assigned to them in
that workspace."""

from __future__ import annotations

import pytest
from sqlmodel import delete

from callplatform.accounts import login_workspace, sessions
from callplatform.common.errors import NotFound
from callplatform.db import session_scope
from callplatform.models import (
    NumberAssignment,
    UserPhoneNumber,
    Workspace,
    WorkspaceMember,
    WorkspaceRole,
)
from callplatform.workspaces import membership
from tests.helpers import make_user


def _login(user_id: int) -> str:
    with session_scope() as s:
        return sessions.create_session(session=s, user_id=user_id)


def _acting(token: str, user_id: int):
    with session_scope() as s:
        return login_workspace.acting_member(session=s, token=token, user_id=user_id)


def _team(owner: int, *members: int) -> tuple[int, int, int]:
    """A shared workspace of `owner` with `members`, and two numbers of its own, the
    first assigned to every member; returns (workspace, assigned number, other number)."""
    with session_scope() as s:
        team = Workspace(name="Sales")
        s.add(team)
        s.flush()
        s.add(WorkspaceMember(workspace_id=team.id, user_id=owner, role=WorkspaceRole.OWNER))
        numbers = [
            UserPhoneNumber(user_id=owner, workspace_id=team.id, phone_number=f"+1415555010{n}")
            for n in (1, 2)
        ]
        s.add_all(numbers)
        s.flush()
        for member in members:
            s.add(WorkspaceMember(workspace_id=team.id, user_id=member))
            s.add(NumberAssignment(number_id=numbers[0].id, user_id=member))
        return team.id, numbers[0].id, numbers[1].id


def test_a_solo_user_owns_and_acts_in_their_personal_workspace(db_url):
    ann = make_user("ann@example.com")
    member = _acting(_login(ann), ann)
    assert member.role is WorkspaceRole.OWNER and member.manages
    with session_scope() as s:
        assert member.workspace_id == membership.personal_workspace_id(session=s, user_id=ann)


def test_switching_reaches_only_the_users_own_workspaces(db_url):
    ann, ben, eve = (make_user(f"{n}@example.com") for n in ("ann", "ben", "eve"))
    team, assigned, other = _team(ann, ben)
    token = _login(ben)
    personal = _acting(token, ben).workspace_id
    with pytest.raises(NotFound), session_scope() as s:  # Eve's, or made up
        login_workspace.switch(session=s, token=token, user_id=ben, workspace_id=team + 99)
    with pytest.raises(NotFound), session_scope() as s:
        login_workspace.switch(session=s, token=_login(eve), user_id=eve, workspace_id=team)
    assert _acting(token, ben).workspace_id == personal  # nothing changed
    with session_scope() as s:
        login_workspace.switch(session=s, token=token, user_id=ben, workspace_id=str(team))
    member = _acting(token, ben)
    assert (member.workspace_id, member.role, member.manages) == (team, WorkspaceRole.MEMBER, False)
    assert member.number_ids == {assigned}
    assert member.may_use_number(assigned) and not member.may_use_number(other)
    # Another login of Ben's still acts where it did.
    assert _acting(_login(ben), ben).workspace_id == personal


def test_a_member_removed_acts_in_their_own_workspace_again(db_url):
    ann, ben = make_user("ann@example.com"), make_user("ben@example.com")
    team, _, _ = _team(ann, ben)
    token = _login(ben)
    with session_scope() as s:
        login_workspace.switch(session=s, token=token, user_id=ben, workspace_id=team)
    with session_scope() as s:
        s.exec(delete(WorkspaceMember).where(WorkspaceMember.user_id == ben,
                                             WorkspaceMember.workspace_id == team))  # fmt: skip
    member = _acting(token, ben)
    assert member.workspace_id != team and member.role is WorkspaceRole.OWNER
