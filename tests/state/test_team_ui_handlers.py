"""The team's parts of the Numbers, Team and Usage pages as a client drives them: an owner
assigns a number, sets a member's own cap, reads the workspace's activity and its usage
by member; a member, an outsider and a solo user get none of it, whatever the client sets
or sends (the server resolves who acts and the services check the rest)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

import callplatform.callplatform  # noqa: F401  (registers every page and its state)
from callplatform.billing import ledger
from callplatform.db import read_scope, session_scope
from callplatform.models import (
    CostKind,
    NumberAssignment,
    User,
    UserPhoneNumber,
    WorkspaceMember,
)
from callplatform.pages.numbers.assign import AssignState
from callplatform.pages.numbers.state import NumbersState
from callplatform.pages.team.activity import ActivityState
from callplatform.pages.team.caps import CapState, parse_cap
from callplatform.pages.team.state import TeamState
from callplatform.pages.usage.state import UsageState
from callplatform.state.workspace import WorkspaceState
from tests.helpers import PASSWORD
from tests.state import exposure
from tests.state.harness import login_token
from tests.workspaces.team_helpers import MEMBER, personal, shared, users


def _tab(state_cls, email: str, workspace_id: int | None = None):
    tab = exposure.open_tab(state_cls, login_token(email, PASSWORD))
    if workspace_id is not None:
        header = exposure.open_tab(WorkspaceState, tab._session_token())
        exposure.run(header, "switch", [workspace_id])
    return tab


def _number(workspace_id: int, owner: int, digits: str) -> int:
    with session_scope() as s:
        row = UserPhoneNumber(
            user_id=owner, workspace_id=workspace_id, phone_number=f"+1415555{digits}",
            phone_number_sid=f"PN{digits:0>32}", friendly_name=f"Line {digits}",
        )  # fmt: skip
        s.add(row)
        s.flush()
        return row.id


def _assigned(number_id: int) -> list[int]:
    with read_scope() as s:
        return sorted(s.exec(select(NumberAssignment.user_id).where(
            NumberAssignment.number_id == number_id)))  # fmt: skip


def _cap(workspace_id: int, user_id: int) -> Decimal | None:
    with read_scope() as s:
        return s.get(WorkspaceMember, (workspace_id, user_id)).monthly_cap


@pytest.fixture
def team(sqlite_db):
    """Sales: Ann owns it, Ben and Cat are members; two numbers. Eve is on her own."""
    ann, ben, cat, eve = users("ann", "ben", "cat", "eve")
    sales = shared(ann, ben=(ben, MEMBER), cat=(cat, MEMBER))
    with session_scope() as s:
        s.get(User, ben).display_name = "Ben Brown"
    numbers = [_number(sales, ann, "0101"), _number(sales, ann, "0102")]
    eves = _number(personal(eve), eve, "0109")
    return {"ann": ann, "ben": ben, "cat": cat, "eve": eve, "sales": sales,
            "numbers": numbers, "eves": eves}  # fmt: skip


def test_an_owner_assigns_a_number_and_the_list_says_to_whom(team):
    page = _tab(NumbersState, "ann@example.com", team["sales"])
    exposure.run(page, "load", [])
    assert page.team and page.manages
    assert {n.assignees for n in page.numbers} == {"Nobody yet"}
    dialog = exposure.open_tab(AssignState, page._session_token())
    first = team["numbers"][0]
    exposure.run(dialog, "open_assign", [first])
    assert [c.name for c in dialog.assign_choices] == [
        "ann@example.com", "Ben Brown", "cat@example.com"]  # fmt: skip
    exposure.run(dialog, "toggle_assignee", [team["ben"], True])
    exposure.run(dialog, "toggle_assignee", [team["eve"], True])  # not offered: ignored
    exposure.run(dialog, "toggle_assignee", [team["cat"], True])
    exposure.run(dialog, "toggle_assignee", [team["cat"], False])
    assert dialog.assign_chosen == [team["ben"]]
    outcome = exposure.run(dialog, "save_assign", [])
    assert _assigned(first) == [team["ben"]] and dialog.assign_number_id == 0
    assert "Line 0101 is now assigned to Ben Brown." in exposure.events_text(outcome)
    assert "NumbersState.load" in outcome.ran
    numbers = dialog._get_root_state().get_substate(NumbersState.get_full_name().split("."))
    shown = {n.id: n.assignees for n in numbers.numbers}
    assert shown == {first: "Ben Brown", team["numbers"][1]: "Nobody yet"}
    log = exposure.open_tab(ActivityState, page._session_token())
    exposure.run(log, "load", [])
    assert log.activity[0].sentence == (
        "ann@example.com assigned +1 (415) 555-0101 to ben@example.com"
    )
    assert log.activity[0].kind == "number"
    dialog.assign_number_id = first
    dialog.assign_chosen = [team["ann"], team["ben"], team["cat"]]
    exposure.run(dialog, "save_assign", [])
    exposure.run(log, "load", [])
    assert log.activity[0].sentence.endswith(
        "to ann@example.com, ben@example.com and cat@example.com"
    )


def test_the_server_refuses_what_the_owner_sends_wrong(team):
    dialog = _tab(AssignState, "ann@example.com", team["sales"])
    for bad in (team["eves"], "1", None, True, 10**12):
        outcome = exposure.run(dialog, "open_assign", [bad])
        assert dialog.assign_number_id == 0, bad
        assert "isn't one of this workspace's" in exposure.events_text(outcome)
    # A client sets the vars itself: Eve (not in Sales) can't be assigned.
    dialog.assign_number_id, dialog.assign_chosen = team["numbers"][0], [team["eve"]]
    exposure.run(dialog, "save_assign", [])
    assert dialog.assign_error == "Only members of this workspace can be assigned."
    assert _assigned(team["numbers"][0]) == []


def test_a_member_sees_their_numbers_and_no_controls_and_assigns_nothing(team):
    with session_scope() as s:
        s.add(NumberAssignment(number_id=team["numbers"][1], user_id=team["ben"]))
    page = _tab(NumbersState, "ben@example.com", team["sales"])
    exposure.run(page, "load", [])
    assert not page.manages and not page.team
    assert [(n.id, n.assignees) for n in page.numbers] == [(team["numbers"][1], "")]
    dialog = exposure.open_tab(AssignState, page._session_token())
    outcome = exposure.run(dialog, "open_assign", [team["numbers"][1]])
    assert dialog.assign_number_id == 0 and "admins" in exposure.events_text(outcome)
    dialog.assign_number_id = team["numbers"][0]  # what a client could set itself
    dialog.assign_chosen = [team["ben"], team["cat"]]
    exposure.run(dialog, "save_assign", [])
    assert dialog.assign_error and _assigned(team["numbers"][0]) == []


def test_an_outsider_and_a_solo_user_see_no_team(team):
    solo = _tab(NumbersState, "eve@example.com")
    exposure.run(solo, "load", [])
    assert solo.manages and not solo.team and [n.id for n in solo.numbers] == [team["eves"]]
    dialog = exposure.open_tab(AssignState, solo._session_token())
    dialog.assign_number_id, dialog.assign_chosen = team["numbers"][0], [team["eve"]]
    exposure.run(dialog, "save_assign", [])
    assert "isn't one of this workspace's" in dialog.assign_error
    assert _assigned(team["numbers"][0]) == []
    anonymous = exposure.open_tab(AssignState, "not-a-session")
    anonymous.assign_number_id, anonymous.assign_chosen = team["numbers"][0], [team["ann"]]
    exposure.run(anonymous, "save_assign", [])
    assert _assigned(team["numbers"][0]) == []


def test_an_owner_caps_a_member_and_the_activity_says_so(team):
    caps = _tab(CapState, "ann@example.com", team["sales"])
    exposure.run(caps, "open_cap", [team["ben"]])
    assert (caps.cap_user_id, caps.cap_name, caps.cap_value) == (team["ben"], "Ben Brown", "")
    for typed, error in [("abc", "like 25.00"), ("1.234", "dollars and cents"),
                         ("-5", "0 or more"), ("2000000", "at most")]:  # fmt: skip
        caps.cap_value = typed
        exposure.run(caps, "save_cap", [])
        assert error in caps.cap_error and _cap(team["sales"], team["ben"]) is None, typed
    caps.cap_value = "$1,025.50"
    outcome = exposure.run(caps, "save_cap", [])
    assert _cap(team["sales"], team["ben"]) == Decimal("1025.50") and caps.cap_user_id == 0
    assert "Ben Brown can spend up to $1,025.50 a month." in exposure.events_text(outcome)
    assert {"TeamState.refresh", "ActivityState.load"} <= set(outcome.ran)
    root = caps._get_root_state()
    members = root.get_substate(TeamState.get_full_name().split(".")).members
    assert {m.email: m.cap for m in members}["ben@example.com"] == "$1,025.50"
    log = root.get_substate(ActivityState.get_full_name().split("."))
    assert log.shows_activity and log.activity[0].kind == "cap"
    assert (
        log.activity[0].sentence
    ) == "ann@example.com set ben@example.com's own monthly cap to $1,025.50"
    exposure.run(caps, "open_cap", [team["ben"]])
    assert caps.cap_value == "1025.50"
    caps.cap_value = ""
    exposure.run(caps, "save_cap", [])
    assert _cap(team["sales"], team["ben"]) is None
    exposure.run(log, "load", [])
    assert log.activity[0].sentence == "ann@example.com removed ben@example.com's own monthly cap"
    assert [a.at for a in log.activity] == sorted((a.at for a in log.activity), reverse=True)


def test_members_and_outsiders_cap_nobody_and_read_no_activity(team):
    for email, workspace in (("ben@example.com", team["sales"]), ("eve@example.com", None)):
        caps = _tab(CapState, email, workspace)
        exposure.run(caps, "open_cap", [team["cat"]])
        assert caps.cap_user_id == 0
        caps.cap_user_id, caps.cap_value = team["cat"], "1"  # what a client could set
        exposure.run(caps, "save_cap", [])
        assert caps.cap_error and _cap(team["sales"], team["cat"]) is None
        log = exposure.open_tab(ActivityState, caps._session_token())
        exposure.run(log, "load", [])
        assert log.activity == []  # Eve reads her own workspace's: nothing of Sales
        assert log.shows_activity == (workspace is None)
        team_page = exposure.open_tab(TeamState, caps._session_token())
        exposure.run(team_page, "load", [])
        assert all(m.cap == "" for m in team_page.members)


def test_usage_by_member_for_a_teams_owner_only(team):
    with session_scope() as s:
        for i, who in enumerate((team["ben"], team["ann"], None)):
            ledger.record_cost(
                session=s, workspace_id=team["sales"], source_key=f"ui:{i}",
                kind=CostKind.NUMBER_MONTHLY if who is None else CostKind.CALL,
                twilio_cost=Decimal("-0.0125"), handled_by=who,
            )  # fmt: skip
    owner = _tab(UsageState, "ann@example.com", team["sales"])
    exposure.run(owner, "load", [])
    rows = [(m.number, m.amount) for m in owner.by_member]
    assert rows[-1][0] == "Number fees" and len(rows) == 3
    assert {name for name, _ in rows} == {"Ben Brown", "ann@example.com", "Number fees"}
    cents = sum(Decimal(amount.lstrip("$")) for _, amount in rows)
    assert f"${cents}" == owner.total == "$0.05"
    member = _tab(UsageState, "ben@example.com", team["sales"])
    exposure.run(member, "load", [])
    assert member.by_member == [] and member.total == "$0.02"
    solo = _tab(UsageState, "eve@example.com")
    exposure.run(solo, "load", [])
    assert solo.by_member == []


def test_parse_cap_reads_dollars_as_people_type_them():
    assert parse_cap(" $25 ") == Decimal("25") and parse_cap("") is None
    assert parse_cap("1,000.5") == Decimal("1000.5")
    for bad in ("NaN", "Infinity", "1e3x", "12.345", "9" * 20):
        with pytest.raises(ValueError):
            parse_cap(bad)
