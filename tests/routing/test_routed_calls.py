"""Routed calls played by the sandbox over real HTTP and real signed webhooks: each route
type and its edges (after hours, a closure day, an invalid key then silence, nobody
answering, a busy forward, a whisper declined, a blocked caller, a loop cut off at call
time), with the path each call took as the call's detail reads it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import delete as sa_delete
from sqlmodel import select

from callplatform import config
from callplatform.accounts import auth
from callplatform.calls import browser_calls, presence
from callplatform.db import session_scope
from callplatform.models import (
    CallRouteEvent,
    ClientPresence,
    NumberAssignment,
    NumberRouting,
    TwilioCall,
    TwilioRecording,
    UserPhoneNumber,
    WorkspaceMember,
)
from callplatform.numbers import inventory, pricing
from callplatform.routing import hours, path, service
from callplatform.telephony import client, sandbox_device
from callplatform.tenancy import subaccounts
from callplatform.workspaces import access, membership
from tests.helpers import member_of, personal_workspace, wait_for_db

CALLER = "+12125550142"
MONDAY_NOON = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)  # 12:00 in Berlin
SATURDAY_NOON = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)
CHRISTMAS_FRIDAY = datetime(2026, 12, 25, 11, 0, tzinfo=UTC)
VOICEMAIL = {"type": "voicemail", "greeting": "Leave a message."}


@pytest.fixture
def line(db_url, live_api, monkeypatch):
    """Ann with two numbers, online, and Ben, a member assigned to the first, online too;
    sandbox calls sped up 50x (SQLite, then PostgreSQL). `route(...)` saves the first
    number's routing, `call(keys)` calls it and returns the call once it has ended."""
    monkeypatch.setenv("TWILIO_API_BASE_URL", f"{live_api}/_sandbox/twilio")
    monkeypatch.setenv("PUBLIC_BASE_URL", live_api)
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.02")
    config.reset_settings()
    client.clear_client_cache()
    pricing.clear_cache()
    with session_scope() as s:
        uid = auth.create_user(session=s, email="ann@example.com", password="long enough pw").id
        ben_id = auth.create_user(session=s, email="ben@example.com", password="long enough pw").id
    offers = [o.phone_number for o in inventory.search_numbers(area_code="415")[:2]]
    with session_scope() as s:
        for offer in offers:
            inventory.buy_number(session=s, member=member_of(uid), phone_number=offer)
        presence.touch_many(session=s, user_ids=[uid, ben_id])
        workspace = membership.personal_workspace_id(session=s, user_id=uid)
        s.add(WorkspaceMember(workspace_id=workspace, user_id=ben_id))
        member = access.acting_member(session=s, user_id=uid, workspace_id=workspace)
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(uid))
        number_ids = [s.exec(select(UserPhoneNumber.id).where(
            UserPhoneNumber.phone_number == o)).one() for o in offers]  # fmt: skip
        s.add(NumberAssignment(number_id=number_ids[0], user_id=ben_id))

    class Line:
        ann, ben, mine, other = uid, ben_id, offers[0], offers[1]

        @staticmethod
        def route(*steps, number=0, **extra):
            with session_scope() as s:
                service.save_routing(session=s, member=member, number_id=number_ids[number],
                                     document={"route": list(steps), **extra})  # fmt: skip

        @staticmethod
        def call(keypresses=None, *, caller=CALLER, answer=False) -> TwilioCall:
            sid = sandbox_device.place_inbound_call(
                creds, from_=caller, to=offers[0], keypresses=keypresses
            )
            if answer:
                wait_for_db(lambda s: _path(s, sid) and _path(s, sid)[-1][0] == "ring")
                with session_scope() as s:
                    browser_calls.answer(
                        session=s, member=member_of(uid), call_sid=sid, accept=True
                    )
            return wait_for_db(lambda s: _ended(s, sid))

    monkeypatch.setattr(hours, "now", lambda: MONDAY_NOON)
    return Line


def _ended(s, sid: str):
    call = s.exec(select(TwilioCall).where(TwilioCall.call_sid == sid)).first()
    return call if call and call.status in browser_calls.FINAL else None


def _path(s, sid: str) -> list[tuple[str, str]]:
    rows = s.exec(select(CallRouteEvent).where(CallRouteEvent.call_sid == sid)
                  .order_by(CallRouteEvent.id)).all()  # fmt: skip
    return [(r.kind, r.detail) for r in rows]


def path_of(call: TwilioCall) -> list[str]:
    """The path as the call's detail shows it (only the call's own number's events)."""
    with session_scope() as s:
        return [path.describe(e) for e in path.call_path(session=s, call=call)]


def voicemail_of(call: TwilioCall) -> TwilioRecording:
    return wait_for_db(lambda s: s.exec(select(TwilioRecording).where(
        TwilioRecording.call_sid == call.call_sid)).first())  # fmt: skip


def business_hours(open_route, closed_route) -> dict:
    week = {d: [{"open": "09:00", "close": "17:00"}] for d in ("mon", "tue", "wed", "thu", "fri")}
    return {"type": "hours", "zone": "Europe/Berlin", "week": week, "closures": ["2026-12-25"],
            "open": open_route, "closed": closed_route}  # fmt: skip


def ring_ann(line, seconds=5) -> dict:
    return {"type": "ring", "user_ids": [line.ann], "seconds": seconds}


def test_in_hours_the_member_answers(line):
    # The longest ring (2.4 s at the sandbox's speed): answered in time on a busy machine.
    line.route(business_hours([ring_ann(line, seconds=120)], [VOICEMAIL]))
    call = line.call(answer=True)
    assert call.status == "completed" and not call.missed
    assert path_of(call) == ["Business hours: open", "Rang ann", "Answered"]


@pytest.mark.parametrize("moment", [SATURDAY_NOON, CHRISTMAS_FRIDAY])
def test_after_hours_and_on_a_closure_day_the_closed_route_plays(line, monkeypatch, moment):
    monkeypatch.setattr(hours, "now", lambda: moment)
    line.route(business_hours([ring_ann(line)], [{"type": "say", "text": "Closed."}, VOICEMAIL]))
    call = line.call()
    assert voicemail_of(call).is_voicemail
    assert path_of(call) == ["Business hours: closed", "Went to voicemail"]
    assert wait_for_db(lambda s: s.get(TwilioCall, call.id).missed)


def test_nobody_answers_then_voicemail(line):
    line.route(ring_ann(line), VOICEMAIL)
    call = line.call()
    assert voicemail_of(call).is_voicemail
    assert path_of(call) == ["Rang ann", "Not answered: no-answer", "Went to voicemail"]


def test_members_in_turn_then_voicemail(line):
    line.route({"type": "ring", "user_ids": [line.ben, line.ann], "order": "in_turn",
                "seconds": 5}, VOICEMAIL)  # fmt: skip
    call = line.call()
    assert path_of(call) == ["Rang ben", "Not answered: no-answer", "Rang ann",
                             "Not answered: no-answer", "Went to voicemail"]  # fmt: skip


def test_members_offline_are_skipped(line):
    with session_scope() as s:
        s.exec(sa_delete(ClientPresence))
    line.route({"type": "ring", "user_ids": [line.ben, line.ann]}, VOICEMAIL)
    assert path_of(line.call()) == ["Nobody online to ring", "Went to voicemail"]


def menu(options, **extra) -> dict:
    return {"type": "menu", "greeting": "Press 1 for sales, 2 for support.",
            "timeout_seconds": 2, "options": options, **extra}  # fmt: skip


def test_menu_key_forwards_with_a_whisper_the_callee_accepts(line):
    line.route(menu({"1": [{"type": "forward", "to": "+14155550123"}, VOICEMAIL]}))
    call = line.call("1")
    assert path_of(call) == [
        "Menu: pressed 1",
        "Forwarded to +1 (415) 555-0123",
        "Forwarded call accepted",
        "Answered",
    ]
    assert call.status == "completed" and not call.missed


def test_invalid_key_then_silence_goes_to_the_fallback(line):
    line.route(menu({"1": [VOICEMAIL]}, fallback=[{"type": "hangup"}]))
    call = line.call("7,")
    assert path_of(call) == [
        "Menu: pressed 7, not an option",
        "Menu: no key pressed",
        "Hung up",
    ]


def test_a_nested_menu(line):
    inner = menu({"#": [{"type": "say", "text": "Billing."}, VOICEMAIL]})
    line.route(menu({"1": [ring_ann(line)], "2": [inner]}))
    call = line.call("2,#")  # pound is a key like any other, not the end of input
    assert path_of(call) == ["Menu: pressed 2", "Menu: pressed #", "Went to voicemail"]


def test_a_busy_forward_then_a_declined_whisper_then_voicemail(line):
    line.route(
        {"type": "forward", "to": "+14155550101"},  # busy
        {"type": "forward", "to": "+14155550104"},  # answers, never presses 1
        VOICEMAIL,
    )
    call = line.call()
    assert path_of(call) == [
        "Forwarded to +1 (415) 555-0101",
        "Not answered: busy",
        "Forwarded to +1 (415) 555-0104",
        "Not answered: not accepted",
        "Went to voicemail",
    ]
    assert voicemail_of(call).is_voicemail


def test_blocked_callers_are_rejected_unanswered_or_sent_to_voicemail(line):
    line.route(ring_ann(line), blocked=[{"number": CALLER}, {"number": "+12125550177",
                                                             "action": "voicemail"}])  # fmt: skip
    call = line.call()
    assert (call.status, call.duration_seconds or 0) == ("no-answer", 0)
    assert path_of(call) == ["Blocked caller: rejected"]
    second = line.call(caller="+12125550177")
    assert path_of(second) == ["Blocked caller: sent to voicemail", "Went to voicemail"]


def test_a_loop_made_behind_the_checks_back_is_cut_off_at_call_time(line):
    line.route({"type": "forward", "to": line.other}, VOICEMAIL)
    with session_scope() as s:  # the other number's routing, written around the save checks
        other = s.exec(
            select(UserPhoneNumber).where(UserPhoneNumber.phone_number == line.other)
        ).one()
        s.add(
            NumberRouting(
                number_id=other.id, document={"route": [{"type": "forward", "to": line.mine}]}
            )
        )
    call = line.call()
    assert path_of(call)[0].endswith("refused: it would loop back")
    assert path_of(call)[1:] == ["Went to voicemail"]


def test_the_call_detail_timeline_shows_the_path_among_the_statuses(line):
    from callplatform.pages.call_detail import _call_with_cost

    line.route(menu({"1": [VOICEMAIL]}, fallback=[{"type": "hangup"}]))
    call = line.call("7,")
    ann = member_of(line.ann)
    wait_for_db(lambda s: len(_call_with_cost(ann, call.id)[1]) >= 4)
    rows = [r.status for r in _call_with_cost(ann, call.id)[1]]
    assert [r for r in rows if ":" in r or r == "Hung up"] == [
        "Menu: pressed 7, not an option",
        "Menu: no key pressed",
        "Hung up",
    ]
    assert rows[-1] == "Completed"


def test_the_hop_counter_cuts_off_any_url_that_went_round_too_often(line):
    """However a URL came to say it (forged or a bug), past MAX_HOPS the call goes to
    voicemail instead of playing on."""
    from callplatform.routing import call_flow, callbacks

    line.route(menu({"1": [VOICEMAIL]}))
    with session_scope() as s:
        number = s.exec(
            select(UserPhoneNumber).where(UserPhoneNumber.phone_number == line.mine)
        ).one()
        account = subaccounts.get_credentials(
            session=s, workspace_id=personal_workspace(line.ann)
        ).sid
        params = {"AccountSid": account, "CallSid": "CA" + "1" * 32, "From": CALLER}
        for hop, says in ((call_flow.MAX_HOPS, "<Gather"), (call_flow.MAX_HOPS + 1, "<Record")):
            query = {"n": str(number.id), "a": "0", "h": str(hop)}
            assert says in callbacks.next_step(session=s, params=params, query=query)
        assert _path(s, params["CallSid"]) == [
            ("loop", "cut off after too many steps"),
            ("voicemail", ""),
        ]


def _forwarded_leg(call: TwilioCall):
    from twilio_sandbox.database import read_scope
    from twilio_sandbox.models import SandboxCall

    with read_scope() as s:
        return s.exec(select(SandboxCall).where(SandboxCall.parent_call_sid == call.call_sid)).one()


@pytest.mark.parametrize(("shown", "expected"), [("caller", CALLER), ("number", "mine")])
def test_a_forward_shows_the_callers_number_or_ours(line, shown, expected):
    line.route({"type": "forward", "to": "+14155550123", "caller_id": shown, "whisper": False})
    call = line.call()
    assert path_of(call) == ["Forwarded to +1 (415) 555-0123", "Answered"]
    leg = _forwarded_leg(call)
    assert (leg.to, leg.from_) == ("+14155550123", line.mine if expected == "mine" else CALLER)


def test_a_forward_over_the_owners_spend_cap_is_skipped(line):
    from callplatform.models import Workspace

    with session_scope() as s:
        workspace = s.get(Workspace, personal_workspace(line.ann))
        workspace.monthly_cap = 0
        s.add(workspace)
    line.route({"type": "forward", "to": "+14155550123"}, VOICEMAIL)
    call = line.call()
    first, *rest = path_of(call)
    assert first.startswith("Forwarded to +1 (415) 555-0123 refused: You've reached your monthly")
    assert rest == ["Went to voicemail"]


def test_a_recorded_numbers_forward_is_announced_and_recorded(line):
    with session_scope() as s:
        number = s.exec(
            select(UserPhoneNumber).where(UserPhoneNumber.phone_number == line.mine)
        ).one()
        number.record_calls = True
        s.add(number)
    line.route({"type": "forward", "to": "+14155550123"})
    call = line.call()
    assert path_of(call) == [
        "Forwarded to +1 (415) 555-0123",
        "Forwarded call accepted",
        "Answered",
    ]
    recording = voicemail_of(call)  # the first recording of the call: here, the conversation
    assert not recording.is_voicemail and recording.duration_seconds == 5 + 23 % 20
    from callplatform.routing import callbacks

    with session_scope() as s:
        account = subaccounts.get_credentials(
            session=s, workspace_id=personal_workspace(line.ann)
        ).sid
        whisper = callbacks.whisper(
            session=s,
            params={"AccountSid": account, "CallSid": "CA" + "2" * 32},
            query={"n": str(number.id), "a": "0", "h": "1"},
        )
    assert whisper.index("This call is recorded.") < whisper.index("press 1 to accept")


def test_odd_urls_hang_up_quietly(line):
    """Whatever a URL's query says (signed by the number's own account), a step that isn't
    there, a number that isn't its, or digits Python would read, answer a bare hang-up."""
    from callplatform.routing import callbacks

    line.route(menu({"1": [VOICEMAIL]}))
    with session_scope() as s:
        number = s.exec(
            select(UserPhoneNumber).where(UserPhoneNumber.phone_number == line.mine)
        ).one()
        account = subaccounts.get_credentials(
            session=s, workspace_id=personal_workspace(line.ann)
        ).sid
        params = {"AccountSid": account, "CallSid": "CA" + "3" * 32, "Digits": "1"}
        for query in ({"n": str(number.id), "a": "0", "h": "²", "t": "¹"},
                      {"n": str(number.id), "a": "0.k1.0"}):  # fmt: skip
            assert "<Gather" in callbacks.next_step(session=s, params=params, query=query) or (
                "<Record" in callbacks.next_step(session=s, params=params, query=query)
            )
        for query in ({"n": str(number.id), "a": "7"}, {"n": str(number.id), "a": "0." * 30},
                      {"n": "999999", "a": "0"}, {"n": "x", "a": "0"}, {}):  # fmt: skip
            for handler in (callbacks.next_step, callbacks.menu_answer, callbacks.dialed):
                assert handler(session=s, params=params, query=query) == callbacks.HANG_UP


@pytest.mark.parametrize("shown", ["caller", "number"])
def test_a_forwarded_leg_is_logged_and_billed_to_the_numbers_workspace(line, shown):
    """Both legs are the workspace's to pay: the forwarded one is logged as an outbound
    call of the routed number (whatever caller ID it showed), and the sweep prices it
    into the ledger, under the number, in Usage."""
    from callplatform.billing import usage
    from callplatform.callbacks import reconcile
    from callplatform.models import CostItem

    line.route({"type": "forward", "to": "+14155550123", "caller_id": shown, "whisper": False})
    call = line.call()
    leg = wait_for_db(
        lambda s: s.exec(
            select(TwilioCall).where(
                TwilioCall.parent_call_sid == call.call_sid,
                TwilioCall.status.in_(browser_calls.FINAL),
            )
        ).first()
    )
    assert (leg.direction, leg.to_number) == ("outbound", "+14155550123")
    assert (leg.workspace_id, leg.number_id) == (call.workspace_id, call.number_id)
    with session_scope() as s:
        reconcile.reconcile_calls(session=s, open_after=reconcile.OPEN_AFTER)
    with session_scope() as s:
        lines = s.exec(select(CostItem).where(CostItem.call_id == leg.id)).all()
        assert len(lines) == 1 and lines[0].charge > 0
        assert (lines[0].workspace_id, lines[0].number_id) == (call.workspace_id, call.number_id)
        summary = usage.get_summary(
            session=s, member=member_of(line.ann), month=usage.Month.current()
        )
    mine = dict(summary.by_number)[line.mine]
    assert mine >= lines[0].charge


def test_the_call_detail_adds_what_the_forwarded_leg_cost(line):
    from callplatform.callbacks import reconcile
    from callplatform.pages.call_detail import _call_with_cost

    line.route({"type": "forward", "to": "+14155550123", "whisper": False})
    call = line.call()
    wait_for_db(lambda s: s.exec(select(TwilioCall).where(
        TwilioCall.parent_call_sid == call.call_sid,
        TwilioCall.status.in_(browser_calls.FINAL))).first())  # fmt: skip
    with session_scope() as s:
        reconcile.reconcile_calls(session=s, open_after=reconcile.OPEN_AFTER)
    cost = _call_with_cost(member_of(line.ann), call.id)[3]
    assert cost.startswith("$") and cost.endswith(" forwarded") and "+ $0.0" in cost
