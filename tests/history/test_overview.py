"""The dashboard's overview: short lists, newest first, only the user's own, and this
month's spend to the cent as the Usage page's total."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from callplatform.accounts import auth
from callplatform.db import session_scope
from callplatform.history.overview import DASHBOARD_ROWS, get_overview
from callplatform.models import TwilioCall, TwilioRecording
from callplatform.pages.dashboard import DashboardState
from callplatform.state.softphone import SoftphoneState
from callplatform.workspaces import membership
from tests.billing.test_shown import seed_sub_cent_month
from tests.helpers import member_of, personal_workspace
from tests.state.harness import call, login_token, state_for

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _seed(s):
    ann_id = seed_sub_cent_month(s)  # 4.5 cents this month
    bob = auth.create_user(session=s, email="bob@example.com", password="long enough pw")
    ann_ws = membership.personal_workspace_id(session=s, user_id=ann_id)
    bob_ws = membership.personal_workspace_id(session=s, user_id=bob.id)
    for i in range(14):
        s.add(
            TwilioCall(
                workspace_id=ann_ws,
                handled_by=ann_id,
                call_sid=f"CA{i:032d}",
                direction="inbound" if i % 2 else "outbound",
                from_number=f"+1212555{i:04d}",
                to_number="+14155550100",
                status="no-answer" if i % 2 else "completed",
                missed=bool(i % 2),
                started_at=T0 + timedelta(minutes=i),
            )
        )
    bob_call = TwilioCall(
        workspace_id=bob_ws,
        handled_by=bob.id,
        call_sid="CB" + "0" * 32,
        direction="inbound",
        from_number="+13105550100",
        to_number="+12125559999",
        status="no-answer",
        missed=True,
        started_at=T0 + timedelta(days=1),
    )
    s.add(bob_call)
    s.flush()
    s.add(
        TwilioRecording(
            workspace_id=bob_ws,
            call_id=bob_call.id,
            recording_sid="RE" + "b" * 32,
            call_sid=bob_call.call_sid,
            is_voicemail=True,
        )
    )
    s.add(
        TwilioRecording(
            workspace_id=ann_ws,
            recording_sid="RE" + "a" * 32,
            call_sid="CA1",
            is_voicemail=True,
            duration_seconds=12,
        )
    )
    return ann_id


def test_overview_lists_are_short_newest_first_and_own(sqlite_db):
    with session_scope() as s:
        ann_id = _seed(s)
    with session_scope() as s:
        o = get_overview(session=s, member=member_of(ann_id))
    assert len(o.recent_calls) == DASHBOARD_ROWS == 10
    assert [c.call_sid for c in o.recent_calls][:2] == [f"CA{13:032d}", f"CA{12:032d}"]
    assert len(o.missed_calls) == 7 and all(c.missed for c in o.missed_calls)
    assert {c.workspace_id for c in o.recent_calls + o.missed_calls} == {personal_workspace(ann_id)}
    assert [r.recording_sid for r, _ in o.voicemails] == ["RE" + "a" * 32]
    assert len(o.numbers) == 2
    assert str(o.month_spend) == "0.05"  # as the Usage page's header, to the cent


def test_dashboard_state_and_call_back(sqlite_db):
    with session_scope() as s:
        _seed(s)
    token = login_token("ann@example.com", "long enough pw")
    board = state_for(DashboardState, token)
    call(board, "load")
    assert board.spend == "$0.05" and board.cap == "$50.00"
    missed = board.missed[0]
    assert (missed.who, missed.dial) == ("+1 (212) 555-0013", "+12125550013")
    assert missed.started_at.endswith("+00:00")  # the browser shows it in local time
    assert board.voicemails[0].media_url.startswith("/api/recordings/")
    phone = board._get_root_state().get_substate(SoftphoneState.get_full_name().split("."))
    call(phone, "dial", missed.dial)
    assert phone.open and phone.to_raw == "+12125550013"
