"""Assigning a workspace's number to members: only its admins and owners may, only its
members can be assigned, and a member then (and only then) has the number; over the API
too (PUT /api/twilio/numbers/{id}/members)."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import select

from callplatform.accounts import api_tokens
from callplatform.common.errors import NotFound, PermissionDenied, ValidationError
from callplatform.db import session_scope
from callplatform.models import (
    AuditEvent,
    NumberAssignment,
    UserPhoneNumber,
    Workspace,
    WorkspaceMember,
    WorkspaceRole,
)
from callplatform.workspaces import access, assignments
from tests.helpers import make_user


@pytest.fixture
def team(db_url):
    """Sales: Olga owns it, Adam is an admin, Mia and Max are members; two numbers.
    Eve is in no team of theirs and owns a number of her own."""
    people = {n: make_user(f"{n}@example.com") for n in ("olga", "adam", "mia", "max", "eve")}
    with session_scope() as s:
        sales = Workspace(name="Sales")
        s.add(sales)
        s.flush()
        for name, role in [("olga", WorkspaceRole.OWNER), ("adam", WorkspaceRole.ADMIN),
                           ("mia", WorkspaceRole.MEMBER), ("max", WorkspaceRole.MEMBER)]:  # fmt: skip
            s.add(WorkspaceMember(workspace_id=sales.id, user_id=people[name], role=role))
        rows = [UserPhoneNumber(user_id=people["olga"], workspace_id=sales.id,
                                phone_number=f"+1415555010{n}") for n in (1, 2)]  # fmt: skip
        eves = s.exec(select(WorkspaceMember.workspace_id).where(
            WorkspaceMember.user_id == people["eve"])).one()  # fmt: skip
        rows.append(UserPhoneNumber(user_id=people["eve"], workspace_id=eves,
                                    phone_number="+14155550109"))  # fmt: skip
        s.add_all(rows)
        s.flush()
        return people, sales.id, [r.id for r in rows], eves


def _as(user_id: int, workspace_id: int) -> access.Member:
    with session_scope() as s:
        return access.acting_member(session=s, user_id=user_id, workspace_id=workspace_id)


def _assigned(number_id: int) -> list[int]:
    with session_scope() as s:
        return sorted(s.exec(select(NumberAssignment.user_id).where(
            NumberAssignment.number_id == number_id)))  # fmt: skip


def _assign(member, number_id, user_ids):
    with session_scope() as s:
        return assignments.assign_number(
            session=s, member=member, number_id=number_id, user_ids=user_ids
        )


def test_managers_assign_and_the_member_then_has_the_number(team):
    people, sales, (first, second, _), _ = team
    assert _as(people["mia"], sales).number_ids == set()
    for manager in ("olga", "adam"):
        assert _assign(_as(people[manager], sales), first, [people["mia"]]) == [people["mia"]]
    mia = _as(people["mia"], sales)
    assert mia.number_ids == {first} and mia.may_use_number(first)
    assert not mia.may_use_number(second)
    _assign(_as(people["olga"], sales), first, [people["max"], people["mia"]])
    assert _assigned(first) == sorted([people["max"], people["mia"]])
    _assign(_as(people["olga"], sales), first, [])  # unassign everyone
    assert _assigned(first) == []
    with session_scope() as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "number.assigned")).all()


def test_a_member_cannot_assign_nor_see_numbers_not_theirs(team):
    people, sales, (first, second, _), _ = team
    _assign(_as(people["olga"], sales), first, [people["mia"]])
    mia = _as(people["mia"], sales)
    with pytest.raises(PermissionDenied):
        _assign(mia, first, [people["mia"], people["max"]])
    with pytest.raises(NotFound):  # not assigned to her: not even its existence
        _assign(mia, second, [people["mia"]])
    assert _assigned(first) == [people["mia"]] and _assigned(second) == []


def test_only_members_of_the_workspace_and_its_own_numbers(team):
    people, sales, (first, _, eves_number), eves = team
    olga = _as(people["olga"], sales)
    for bad in ([people["eve"]], [people["mia"], people["eve"]], ["x"], [0], "1", [None]):
        with pytest.raises(ValidationError):
            _assign(olga, first, bad)
    assert _assigned(first) == []
    with pytest.raises(NotFound):  # Eve's number, from Sales
        _assign(olga, eves_number, [people["olga"]])
    with pytest.raises(NotFound):  # Sales' number, from Eve's own workspace
        _assign(_as(people["eve"], eves), first, [people["eve"]])
    assert _assigned(eves_number) == [] and _assigned(first) == []


def test_the_api_assigns_within_the_tokens_workspace(team, live_api):
    people, sales, (first, _, eves_number), _ = team
    tokens = {}
    with session_scope() as s:
        for name in ("eve", "mia"):
            tokens[name] = api_tokens.create_token(session=s, owner_id=people[name], name="t")[1]
        # Olga's acts in Sales, where she made it; Eve cannot make one there.
        tokens["olga"] = api_tokens.create_token(
            session=s, owner_id=people["olga"], name="t", workspace_id=sales
        )[1]
    with pytest.raises(NotFound), session_scope() as s:
        api_tokens.create_token(session=s, owner_id=people["eve"], name="t", workspace_id=sales)

    def put(name: str, number_id: int, user_ids) -> httpx.Response:
        return httpx.put(
            f"{live_api}/api/twilio/numbers/{number_id}/members",
            json={"user_ids": user_ids},
            headers={"Authorization": f"Bearer {tokens[name]}"},
        )

    reply = put("olga", first, [people["mia"]])
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"number_id": first, "user_ids": [people["mia"]]}
    assert put("eve", first, [people["eve"]]).status_code == 404  # not her workspace's
    assert put("olga", eves_number, [people["olga"]]).status_code == 404
    assert put("olga", first, [people["eve"]]).status_code == 422  # not a member
    assert put("olga", first, ["nope"]).status_code == 422
    assert _assigned(first) == [people["mia"]] and _assigned(eves_number) == []
