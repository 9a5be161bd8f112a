"""Names replace numbers: the Calls page and a call's detail, the calls API, the call
CSV (a contact column, safe from formulas) and the incoming-call banner show the
contact's name for the other party; a number no contact of the workspace holds stays a
number, and another workspace's contacts never name anything."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import delete

from callplatform.accounts import api_tokens, auth, rate_limit
from callplatform.contacts import directory
from callplatform.db import read_scope, session_scope
from callplatform.history import call_log
from callplatform.models import TwilioCall, Workspace, WorkspaceMember, WorkspaceRole
from callplatform.pages.call_detail import CallDetailState
from callplatform.pages.calls.state import CallsState
from callplatform.pages.dashboard.state import DashboardState
from callplatform.state.softphone import SoftphoneState
from callplatform.workspaces import access, membership
from tests.state.exposure import events_text, open_tab, run
from tests.state.harness import login_token

PASSWORD = "long enough pw"
ADA, GRACE, STRANGER = "+12125550188", "+17185550166", "+13475550144"
T0 = datetime.now(UTC) - timedelta(hours=1)


def _world():
    """Ann's calls (in from Ada, out to Grace, in from a stranger, ringing from Ada) and
    her contacts; Bob names the stranger in his own workspace."""
    with session_scope() as s:
        ids = {}
        for email in ("ann@example.com", "bob@example.com"):
            uid = auth.create_user(session=s, email=email, password=PASSWORD).id
            ws = membership.personal_workspace_id(session=s, user_id=uid)
            ids[email] = access.acting_member(session=s, user_id=uid, workspace_id=ws)
        ann, bob = ids["ann@example.com"], ids["bob@example.com"]
        ours = "+14155550100"
        calls = [
            ("inbound", ADA, ours, "completed"),
            ("outbound", ours, GRACE, "completed"),
            ("inbound", STRANGER, ours, "completed"),
            ("inbound", ADA, ours, "ringing"),
        ]
        for i, (direction, src, dst, status) in enumerate(calls):
            s.add(
                TwilioCall(
                    workspace_id=ann.workspace_id,
                    handled_by=None if status == "ringing" else ann.user_id,  # not answered yet
                    call_sid=f"CA{i:032d}", direction=direction,
                    from_number=src, to_number=dst, status=status,
                    started_at=T0 + timedelta(minutes=i),
                )
            )  # fmt: skip
        directory.create_contact(session=s, member=ann, name="Ada Lovelace", phones=[(ADA, "")])
        directory.create_contact(session=s, member=ann, name="=cmd|' /C calc'!A0",
                                 phones=[(GRACE, "")])  # fmt: skip
        directory.create_contact(
            session=s, member=bob, name="Bob's secret", phones=[(STRANGER, "")]
        )
    return ann, bob


def test_the_calls_page_detail_and_csv_show_names(sqlite_db):
    ann, _bob = _world()
    token = login_token("ann@example.com", PASSWORD)
    page = open_tab(CallsState, token)
    run(page, "load", [])
    shown = [(r.from_display, r.to_display, r.other_name) for r in page.rows]
    assert shown == [
        ("Ada Lovelace", "+1 (415) 555-0100", "Ada Lovelace"),
        ("+1 (347) 555-0144", "+1 (415) 555-0100", ""),
        ("+1 (415) 555-0100", "=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"),
        ("Ada Lovelace", "+1 (415) 555-0100", "Ada Lovelace"),
    ]
    detail = open_tab(CallDetailState, token, {"call_id": page.rows[1].id})
    run(detail, "load", [])
    assert detail.call.other_number == STRANGER and detail.call.other_name == ""
    assert detail.add_contact_href == "/contacts?add=%2B13475550144"
    with read_scope() as s:
        text = call_log.export_csv(session=s, member=ann, filters=call_log.CallFilters())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["contact"] for r in rows] == [
        "Ada Lovelace", "", "'=cmd|' /C calc'!A0", "Ada Lovelace"
    ]  # fmt: skip
    download = run(page, "export_csv", [])
    exported = events_text(download)
    assert "Ada Lovelace" in exported and "Bob's secret" not in exported


def test_the_banner_names_the_caller(sqlite_db):
    _world()
    phone = open_tab(SoftphoneState, login_token("ann@example.com", PASSWORD))
    run(phone, "sync", [])
    assert (phone.incoming_from, phone.incoming_number) == ("Ada Lovelace", "+1 (212) 555-0188")
    with session_scope() as s:
        call = s.get(TwilioCall, 4)
        call.from_number = STRANGER  # Bob's contact: not Ann's to name
        s.add(call)
    run(phone, "sync", [])
    assert (phone.incoming_from, phone.incoming_number) == ("+1 (347) 555-0144", "")


def test_the_calls_api_names_the_other_party(db_url, live_api):
    ann, _bob = _world()
    rate_limit.reset()
    with session_scope() as s:
        raw = api_tokens.create_token(session=s, owner_id=ann.user_id, name="api")[1]
    with httpx.Client(base_url=live_api, headers={"Authorization": f"Bearer {raw}"}) as client:
        calls = client.get("/api/twilio/calls").json()["calls"]
        assert [c["other_party_name"] for c in calls] == [
            "Ada Lovelace", None, "=cmd|' /C calc'!A0", "Ada Lovelace"
        ]  # fmt: skip
        one = client.get(f"/api/twilio/calls/{calls[1]['id']}").json()
        assert one["call"]["other_party_name"] is None


def test_the_dashboard_names_the_other_party(sqlite_db):
    _world()
    board = open_tab(DashboardState, login_token("ann@example.com", PASSWORD))
    run(board, "load", [])
    assert [c.who for c in board.recent] == [
        "Ada Lovelace", "+1 (347) 555-0144", "=cmd|' /C calc'!A0", "Ada Lovelace"
    ][: len(board.recent)]  # fmt: skip
    assert len(board.recent) >= 3


def test_a_login_no_longer_in_its_workspace_sees_no_names(sqlite_db):
    ann, bob = _world()
    token = login_token("ann@example.com", PASSWORD)
    with session_scope() as s:  # Bob stays in the workspace Ann's login acted in
        s.add(WorkspaceMember(workspace_id=ann.workspace_id, user_id=bob.user_id))
        # Ann is left in another workspace, with a call from Ada there: her login falls
        # back to it and must not name Ada with the contacts of the one she left.
        elsewhere = Workspace(name="Elsewhere")
        s.add(elsewhere)
        s.flush()
        s.add(WorkspaceMember(workspace_id=elsewhere.id, user_id=ann.user_id,
                              role=WorkspaceRole.OWNER))  # fmt: skip
        s.add(TwilioCall(workspace_id=elsewhere.id, handled_by=ann.user_id,
                         call_sid="CA" + "e" * 32, direction="inbound", from_number=ADA,
                         to_number="+14155550111", status="completed", started_at=T0))  # fmt: skip
        s.exec(
            delete(WorkspaceMember).where(
                WorkspaceMember.workspace_id == ann.workspace_id,
                WorkspaceMember.user_id == ann.user_id,
            )
        )
    page = open_tab(CallsState, token)
    run(page, "load", [])
    assert page.rows and all(r.other_name == "" for r in page.rows)
    assert [r.from_display for r in page.rows] == ["+1 (212) 555-0188"]  # Ada, unnamed
