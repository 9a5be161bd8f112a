"""The Team page, the header's workspace state and the invitation page, as a client
drives them: the server decides who may do what whatever the client sets; an owner
invites (the link reaches the page, never a state var), changes roles and removes; the
removed member's open tab re-checks and leaves the workspace; an invitee joins by the
link and their login then acts in the workspace."""

from __future__ import annotations

import callplatform.callplatform  # noqa: F401  (registers every page and its state)
from callplatform import config, routes
from callplatform.accounts import login_workspace
from callplatform.db import read_scope
from callplatform.live import WORKSPACE
from callplatform.pages.invite import InviteState
from callplatform.pages.team.state import TeamState
from callplatform.state.live import LiveState
from callplatform.state.workspace import WorkspaceState
from tests.as_text import text_of
from tests.helpers import PASSWORD
from tests.state import exposure
from tests.state.harness import login_token
from tests.workspaces.team_helpers import ADMIN, MEMBER, role_of, shared, users


def _tab(state_cls, email: str, **params):
    return exposure.open_tab(state_cls, login_token(email, PASSWORD), params or None)


def _acting_workspace(tab) -> int | None:
    user_id = tab._user().id
    with read_scope() as s:
        member = login_workspace.acting_member(
            session=s, token=tab._session_token(), user_id=user_id
        )
    return member.workspace_id if member else None


def _switch_to(tab, workspace_id: int) -> None:
    exposure.run(exposure.open_tab(WorkspaceState, tab._session_token()), "switch", [workspace_id])


def test_a_solo_user_is_not_shown_a_team(sqlite_db):
    users("ann")
    header = _tab(WorkspaceState, "ann@example.com")
    exposure.run(header, "load", [])
    assert (header.shows_team, header.choices) == (False, [])
    team = _tab(TeamState, "ann@example.com")
    exposure.run(team, "load", [])
    assert team.alone and team.manages and [m.email for m in team.members] == ["ann@example.com"]


def test_an_owner_invites_and_the_link_goes_to_the_page_only(sqlite_db, monkeypatch):
    monkeypatch.delenv("SMTP_URL", raising=False)
    config.reset_settings()
    (ann,) = users("ann")
    sales = shared(ann)
    team = _tab(TeamState, "ann@example.com")
    _switch_to(team, sales)
    outcome = exposure.run(team, "invite", [{"email": "New@Example.com", "role": "admin"}])
    assert team.email_error == "" and team.link_shown
    assert [(p.email, p.role) for p in team.pending] == [("new@example.com", "admin")]
    sent = exposure.events_text(outcome)
    assert "/invite/" in sent and "/invite/" not in text_of(team.dict())
    header = _tab(WorkspaceState, "ann@example.com")
    exposure.run(header, "load", [])
    assert header.shows_team  # someone is invited: the Team link shows


def test_a_member_changes_nothing_whatever_the_client_sets(sqlite_db):
    ann, ben, cat = users("ann", "ben", "cat")
    sales = shared(ann, ben=(ben, MEMBER), cat=(cat, MEMBER))
    team = _tab(TeamState, "ben@example.com")
    _switch_to(team, sales)
    exposure.run(team, "load", [])
    assert not team.manages and not any(m.editable for m in team.members)
    team.manages = team.is_owner = True  # what a client could set itself
    exposure.run(team, "invite", [{"email": "new@example.com", "role": "admin"}])
    assert "admins" in team.email_error and team.pending == []
    exposure.run(team, "set_role", [cat, "admin"])
    team.remove_id = ann
    exposure.run(team, "confirm_remove", [])
    assert (role_of(ann, sales), role_of(cat, sales)) == ("owner", MEMBER)


def test_removal_reaches_the_removed_members_open_tab(sqlite_db):
    ann, ben = users("ann", "ben")
    sales = shared(ann, ben=(ben, ADMIN))
    bens_tab = _tab(WorkspaceState, "ben@example.com")
    _switch_to(bens_tab, sales)
    exposure.run(bens_tab, "load", [])
    assert bens_tab.workspace_id == str(sales) and bens_tab.role == "admin"
    owner = _tab(TeamState, "ann@example.com")
    _switch_to(owner, sales)
    exposure.run(owner, "set_role", [ben, "member"])
    changed = exposure.run(bens_tab, "recheck", [])  # what the live notice makes it do
    assert "is now member" in exposure.events_text(changed)
    owner.remove_id = ben
    exposure.run(owner, "confirm_remove", [])
    assert role_of(ben, sales) is None
    # As the live notice brings it: LiveState.changed runs the re-check in Ben's tab.
    live_tab = bens_tab._get_root_state().get_substate(LiveState.get_full_name().split("."))
    removed = exposure.run(live_tab, "changed", [[WORKSPACE]])
    assert "no longer have access" in exposure.events_text(removed)
    assert bens_tab.workspace_id != str(sales) and _acting_workspace(bens_tab) != sales


def test_an_invitee_joins_by_the_link(sqlite_db):
    ann, new = users("ann", "new")
    sales = shared(ann)
    team = _tab(TeamState, "ann@example.com")
    _switch_to(team, sales)
    outcome = exposure.run(team, "invite", [{"email": "new@example.com", "role": "member"}])
    token = exposure.events_text(outcome).split("/invite/")[1][:43]
    visitor = exposure.open_tab(InviteState, "no-session", {"token": token})
    exposure.run(visitor, "load", [])
    assert visitor.valid and visitor.signed_in_as == "" and visitor.workspace == "Sales"
    page = _tab(InviteState, "new@example.com", token=token)
    exposure.run(page, "load", [])
    assert page.signed_in_as == "new@example.com"
    joined = exposure.run(page, "accept", [])
    assert page.error == "" and routes.DASHBOARD in exposure.events_text(joined)
    assert role_of(new, sales) is MEMBER and _acting_workspace(page) == sales
    again = _tab(InviteState, "new@example.com", token=token)
    exposure.run(again, "load", [])
    assert not again.valid  # used up


def test_the_invitation_page_refuses_another_account(sqlite_db):
    ann, _new, eve = users("ann", "new", "eve")
    sales = shared(ann)
    team = _tab(TeamState, "ann@example.com")
    _switch_to(team, sales)
    outcome = exposure.run(team, "invite", [{"email": "new@example.com", "role": "member"}])
    token = exposure.events_text(outcome).split("/invite/")[1][:43]
    page = _tab(InviteState, "eve@example.com", token=token)
    exposure.run(page, "accept", [])
    assert "new@example.com" in page.error and role_of(eve, sales) is None


def test_safe_next_keeps_an_invitation_link():
    assert routes.safe_next("/invite/" + "a" * 43) == "/invite/" + "a" * 43
