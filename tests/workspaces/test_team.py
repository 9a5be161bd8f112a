"""The team of a workspace: who may change roles and remove whom, the owner a workspace
always keeps, what removal ends at once (and what it keeps), and new workspaces. Each
rule has a test that fails when the rule is broken."""

from __future__ import annotations

import pytest
from sqlmodel import select

from callplatform.accounts import api_tokens, login_workspace
from callplatform.common import audit_words
from callplatform.common.errors import NotFound, PermissionDenied, ValidationError
from callplatform.db import read_scope, session_scope
from callplatform.live import WORKSPACE, bus
from callplatform.models import (
    ApiToken,
    AuditEvent,
    NumberAssignment,
    Role,
    User,
    UserPhoneNumber,
    WorkspaceMember,
)
from callplatform.workspaces import invitations, joining, team
from callplatform.workspaces import shared as shared_workspaces
from tests.workspaces.team_helpers import (
    ADMIN,
    MEMBER,
    OWNER,
    as_member,
    login,
    personal,
    role_of,
    shared,
    users,
)


def _change(actor: int, workspace: int, target, role):
    with session_scope() as s:
        return team.change_role(
            session=s, member=as_member(actor, workspace), user_id=target, role=role
        )


def _remove(actor: int, workspace: int, target) -> None:
    with session_scope() as s:
        team.remove_member(session=s, member=as_member(actor, workspace), user_id=target)


def test_members_are_listed_with_their_roles_owners_first(db_url):
    ann, ben, cat, eve = users("ann", "ben", "cat", "eve")
    sales = shared(ann, ben=(ben, MEMBER), cat=(cat, ADMIN))
    shared(eve, "Elsewhere", ann=(ann, MEMBER))
    with read_scope() as s:
        listed = team.list_members(session=s, member=as_member(ben, sales))
    assert [(m.email, m.role) for m in listed] == [
        ("ann@example.com", OWNER),
        ("cat@example.com", ADMIN),
        ("ben@example.com", MEMBER),
    ]
    assert all(m.joined_at is not None for m in listed)


def test_a_member_cannot_change_roles(db_url):
    ann, ben, cat = users("ann", "ben", "cat")
    sales = shared(ann, ben=(ben, MEMBER), cat=(cat, MEMBER))
    with pytest.raises(PermissionDenied):
        _change(ben, sales, cat, "admin")
    with pytest.raises(PermissionDenied):
        _change(ben, sales, ben, "admin")  # nor their own
    assert role_of(cat, sales) is MEMBER and role_of(ben, sales) is MEMBER


def test_an_admin_changes_members_and_admins_but_not_owners(db_url):
    ann, ben, cat = users("ann", "ben", "cat")
    sales = shared(ann, ben=(ben, ADMIN), cat=(cat, MEMBER))
    assert _change(ben, sales, cat, "admin").role is ADMIN
    assert _change(ben, sales, str(cat), "member").role is MEMBER  # ids as a client sends
    with pytest.raises(PermissionDenied):
        _change(ben, sales, cat, "owner")  # making an owner
    with pytest.raises(PermissionDenied):
        _change(ben, sales, ann, "member")  # unmaking one
    assert role_of(cat, sales) is MEMBER and role_of(ann, sales) is OWNER


def test_an_owner_makes_owners_and_one_owner_always_stays(db_url):
    ann, ben = users("ann", "ben")
    sales = shared(ann, ben=(ben, MEMBER))
    with pytest.raises(ValidationError):
        _change(ann, sales, ann, "admin")  # the only owner
    assert role_of(ann, sales) is OWNER
    _change(ann, sales, ben, "owner")
    _change(ann, sales, ann, "admin")  # now Ben owns it
    assert (role_of(ann, sales), role_of(ben, sales)) == (ADMIN, OWNER)
    with pytest.raises(ValidationError):
        _change(ben, sales, ben, "member")


def test_roles_reach_only_this_workspaces_people(db_url):
    ann, ben, eve = users("ann", "ben", "eve")
    sales = shared(ann, ben=(ben, MEMBER))
    theirs = shared(eve, "Theirs")
    for target in (eve, 10**40, -1, "x", None):  # someone elsewhere, ids no one has
        with pytest.raises(NotFound):
            _change(ann, sales, target, "admin")
        with pytest.raises(NotFound):
            _remove(ann, sales, target)
    with pytest.raises(NotFound):  # Ann is no member there: no member object at all
        as_member(ann, theirs)
    with pytest.raises(ValidationError):
        _change(ann, sales, ben, "superuser")
    assert role_of(eve, theirs) is OWNER


def test_who_may_remove_whom(db_url):
    ann, ben, cat, dan = users("ann", "ben", "cat", "dan")
    sales = shared(ann, ben=(ben, ADMIN), cat=(cat, MEMBER), dan=(dan, MEMBER))
    with pytest.raises(PermissionDenied):
        _remove(cat, sales, dan)  # a member removes no one
    with pytest.raises(PermissionDenied):
        _remove(ben, sales, ann)  # an admin removes no owner
    _remove(ben, sales, dan)
    _remove(cat, sales, cat)  # anyone may leave
    with pytest.raises(ValidationError):
        _remove(ann, sales, ann)  # but not the last owner
    assert [role_of(u, sales) for u in (ann, ben, cat, dan)] == [OWNER, ADMIN, None, None]
    with read_scope() as s:
        actions = s.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["member.removed", "member.left"]


def _number(workspace: int, owner: int, phone: str) -> int:
    with session_scope() as s:
        row = UserPhoneNumber(user_id=owner, workspace_id=workspace, phone_number=phone)
        s.add(row)
        s.flush()
        return row.id


def _assign(number: int, user_id: int) -> None:
    with session_scope() as s:
        s.add(NumberAssignment(number_id=number, user_id=user_id))


def _token_in(user_id: int, workspace: int, name: str) -> str:
    with session_scope() as s:
        row, raw = api_tokens.create_token(session=s, owner_id=user_id, name=name)
        row.workspace_id = workspace
        s.add(row)
    return raw


def test_removal_ends_access_at_once_and_keeps_the_rest(db_url, monkeypatch):
    ann, ben, eve = users("ann", "ben", "eve")
    sales = shared(ann, ben=(ben, MEMBER))
    elsewhere = shared(eve, "Elsewhere", ben=(ben, MEMBER))
    here, there = _number(sales, ann, "+14155550101"), _number(elsewhere, eve, "+14155550102")
    _assign(here, ben), _assign(there, ben)
    token_here, token_there = _token_in(ben, sales, "here"), _token_in(ben, elsewhere, "there")
    acting_here, acting_there = login(ben), login(ben)
    for token, workspace in ((acting_here, sales), (acting_there, elsewhere)):
        with session_scope() as s:
            login_workspace.switch(session=s, token=token, user_id=ben, workspace_id=workspace)
    told: list[tuple[int, frozenset]] = []
    monkeypatch.setattr(bus, "publish", lambda user_id, topics: told.append((user_id, topics)))

    _remove(ann, sales, ben)

    assert role_of(ben, sales) is None and role_of(ben, elsewhere) is MEMBER
    with read_scope() as s:
        assigned = s.exec(select(NumberAssignment.number_id)).all()
        assert assigned == [there]
        live = {t.name for t in s.exec(select(ApiToken)) if t.revoked_at is None}
        assert live == {"there"}
        # The login that acted there now acts in Ben's own workspace; the other stays.
        after = login_workspace.acting_member(session=s, token=acting_here, user_id=ben)
        assert after.workspace_id == personal(ben)
        still = login_workspace.acting_member(session=s, token=acting_there, user_id=ben)
        assert still.workspace_id == elsewhere
        assert api_tokens.token_workspace_id(session=s, raw=token_there) == elsewhere
        assert api_tokens.token_workspace_id(session=s, raw=token_here) is None
        assert s.get(UserPhoneNumber, here) is not None  # the workspace keeps its number
    # Ben's tabs (and the team's) hear of it after the commit.
    assert {u for u, topics in told if WORKSPACE in topics} == {ann, ben}


def test_nothing_is_announced_for_a_refused_change(db_url, monkeypatch):
    ann, ben = users("ann", "ben")
    sales = shared(ann, ben=(ben, MEMBER))
    told = []
    monkeypatch.setattr(bus, "publish", lambda user_id, topics: told.append(user_id))
    with pytest.raises(PermissionDenied):
        _remove(ben, sales, ann)
    assert told == []


def test_a_new_workspace_is_owned_by_its_maker(db_url):
    (ann,) = users("ann")
    with session_scope() as s:
        made = shared_workspaces.create_workspace(session=s, user_id=ann, name="  Front   desk ")
        assert (made.name, made.personal) == ("Front desk", False)
    assert role_of(ann, made.id) is OWNER
    for bad in ("", "   ", "x" * 65, "a\x00b"):
        with pytest.raises(ValidationError), session_scope() as s:
            shared_workspaces.create_workspace(session=s, user_id=ann, name=bad)
    with read_scope() as s:
        rows = s.exec(select(WorkspaceMember).where(WorkspaceMember.user_id == ann)).all()
    assert len(rows) == 2  # personal, and the one made


def test_a_user_owns_a_bounded_number_of_workspaces(db_url, monkeypatch):
    (ann,) = users("ann")
    monkeypatch.setattr(shared_workspaces, "MAX_CREATED", 2)
    for name in ("One", "Two"):
        shared(ann, name)
    with pytest.raises(ValidationError), session_scope() as s:
        shared_workspaces.create_workspace(session=s, user_id=ann, name="Three")


def test_the_audit_log_tells_a_teams_story_in_words(db_url):
    ann, ben, new = users("ann", "ben", "new")
    sales = shared(ann, ben=(ben, MEMBER))
    _change(ann, sales, ben, "admin")
    with session_scope() as s:
        invited = invitations.invite(
            session=s, member=as_member(ann, sales), email="new@example.com"
        )
    with session_scope() as s:
        joining.accept(session=s, user=s.get(User, new), token=invited.link.split("/")[-1])
    _remove(ann, sales, ben)
    with session_scope() as s:
        s.get(User, ann).role = Role.ADMIN  # the platform's audit log is for its admins
    with read_scope() as s:
        entries = audit_words.list_entries(session=s, actor=s.get(User, ann))
    assert [e.sentence for e in reversed(entries)] == [
        "ann@example.com created the workspace “Sales”",
        "ann@example.com changed ben@example.com's role in “Sales” from member to admin",
        "ann@example.com invited new@example.com to “Sales” as member",
        "new@example.com joined “Sales” as member",
        "ann@example.com removed ben@example.com from “Sales”",
    ]
