"""Hold, resume and transfers on live softphone calls, over real HTTP: the sandbox plays
Twilio (conferences, participants, hold music fetched from our signed webhook), our
webhooks take its signed callbacks. Outbound and inbound calls are moved into a
conference; a party dialled in passes the outgoing-call rules and is logged (billed) as
the number owner's call; each step is on the call's path; nobody else may touch the call."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from callplatform import config
from callplatform.accounts import auth
from callplatform.billing import spend
from callplatform.calls import browser_calls, presence
from callplatform.common.errors import NotFound, ValidationError
from callplatform.db import session_scope
from callplatform.models import CallConference, TwilioCall, WorkspaceMember, WorkspaceRole
from callplatform.numbers import inventory
from callplatform.routing import path, transfer
from callplatform.telephony import sandbox_device
from callplatform.telephony.client import make_client
from callplatform.tenancy import subaccounts
from tests.helpers import member_of, personal_workspace, wait_for, wait_for_db

LONG = "+14155550199"  # the sandbox's long talker: on the line for 15 (scaled) minutes
COLLEAGUE = "+16465550199"


@pytest.fixture
def line(telephony, monkeypatch):
    """Ann with a number, online; sandbox calls at 1/25 of real time (SQLite, then
    PostgreSQL)."""
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.04")
    config.reset_settings()
    with session_scope() as s:
        uid = auth.create_user(session=s, email="ann@example.com", password="long enough pw").id
    offer = inventory.search_numbers(area_code="415")[0].phone_number
    with session_scope() as s:
        inventory.buy_number(session=s, member=member_of(uid), phone_number=offer)
        presence.touch(session=s, user_id=uid)
    return uid, offer


def _call_out(uid: int, mine: str, to: str = LONG) -> str:
    member = member_of(uid)
    with session_scope() as s:
        sid = browser_calls.start_call(session=s, member=member, caller_id=mine, to=to)
    wait_for_db(lambda s: s.exec(select(TwilioCall).where(
        TwilioCall.parent_call_sid == sid.call_sid, TwilioCall.status == "in-progress")).first())  # fmt: skip
    return sid.call_sid


def act(func, uid: int, **kwargs):
    member = member_of(uid)
    with session_scope() as s:
        return func(session=s, member=member, **kwargs)


def _conf(uid: int) -> CallConference:
    with session_scope() as s:
        return s.exec(select(CallConference).where(CallConference.handled_by == uid)).one()


def _participants(uid: int, conf: CallConference) -> dict[str, bool]:
    """{call SID: held} as Twilio's Participants API lists them."""
    with session_scope() as s:
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(uid))
    room = make_client(creds).api.v2010.accounts(creds.sid).conferences(conf.conference_sid)
    return {p.call_sid: p.hold for p in room.participants.list()}


def _path(uid: int, conf: CallConference) -> list[str]:
    with session_scope() as s:
        call = s.exec(select(TwilioCall).where(TwilioCall.call_sid == conf.customer_sid)).one()
        return [path.describe(e) for e in path.call_path(session=s, call=call)]


def _end(uid: int, conf: CallConference) -> None:
    with session_scope() as s:
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(uid))
    make_client(creds).api.v2010.accounts(creds.sid).conferences(conf.conference_sid).update(
        status="completed"
    )
    wait_for(lambda: _conf(uid).status == "ended")


def test_hold_resume_then_transfer_to_a_number(line):
    uid, mine = line
    sid = _call_out(uid, mine)
    act(transfer.hold, uid, softphone_sid=sid, on=True)
    conf = _conf(uid)
    assert conf.on_hold and conf.agent_sid == sid and conf.status == "live"
    assert _participants(uid, conf) == {conf.customer_sid: True, sid: False}
    from twilio_sandbox.conference_models import SandboxParticipant
    from twilio_sandbox.database import read_scope

    with read_scope() as sb:  # the held caller hears the music our webhook answered with
        held = sb.exec(select(SandboxParticipant).where(
            SandboxParticipant.call_sid == conf.customer_sid)).one()  # fmt: skip
        assert held.hearing == "Play" and held.hold_url.split("#")[0].endswith("/hold-music")
    act(transfer.hold, uid, softphone_sid=sid, on=False)
    assert not _conf(uid).on_hold
    assert _participants(uid, conf) == {conf.customer_sid: False, sid: False}

    act(transfer.dial_in, uid, softphone_sid=sid, to="(646) 555-0199", mode="transfer")
    handed = wait_for(lambda: (c := _conf(uid)).agent_left and c)
    assert not handed.on_hold and handed.pending == ""
    people = wait_for(lambda: len(p := _participants(uid, conf)) == 2 and sid not in p and p)
    assert set(people) == {conf.customer_sid, handed.pending_sid} and not any(people.values())
    with session_scope() as s:  # the new party's leg is Ann's call, from her number
        leg = s.exec(select(TwilioCall).where(TwilioCall.call_sid == handed.pending_sid)).one()
        assert (leg.workspace_id, leg.handled_by) == (personal_workspace(uid), uid)
        assert (leg.from_number, leg.to_number) == (mine, COLLEAGUE)
        assert leg.direction == "outbound" and leg.number_id == conf.number_id
    assert _path(uid, conf) == [
        "Put on hold", "Taken off hold", "Put on hold", "Transferring to +1 (646) 555-0199",
        "Taken off hold", "Handed over to +1 (646) 555-0199",
    ]  # fmt: skip
    _end(uid, conf)


def test_consult_then_return_or_connect(line):
    uid, mine = line
    sid = _call_out(uid, mine)
    act(transfer.dial_in, uid, softphone_sid=sid, to=COLLEAGUE, mode="consult")
    conf = wait_for(lambda: (c := _conf(uid)).pending_joined and c)
    assert conf.on_hold and not conf.agent_left
    assert _participants(uid, conf) == {
        conf.customer_sid: True,
        sid: False,
        conf.pending_sid: False,
    }
    act(transfer.return_to_caller, uid, softphone_sid=sid)
    back = wait_for(lambda: len(_participants(uid, conf)) == 2 and _conf(uid))
    assert not back.on_hold and back.pending == "" and not back.agent_left

    act(transfer.dial_in, uid, softphone_sid=sid, to=COLLEAGUE, mode="consult")
    wait_for(lambda: _conf(uid).pending_joined)
    act(transfer.connect, uid, softphone_sid=sid)
    done = _conf(uid)
    assert done.agent_left and not done.on_hold
    assert wait_for(lambda: sid not in (p := _participants(uid, conf)) and len(p) == 2)
    assert "Back with the caller" in _path(uid, conf)
    _end(uid, conf)


def test_a_third_party_joins_and_leaving_alone_ends_the_call(line):
    uid, mine = line
    sid = _call_out(uid, mine)
    act(transfer.dial_in, uid, softphone_sid=sid, to="+14155550123", mode="add")
    conf = wait_for(lambda: (c := _conf(uid)).pending_joined and c)
    assert not conf.on_hold and conf.pending == ""
    # The third party talks 8 (scaled) seconds and hangs up; Ann and the caller go on.
    wait_for(lambda: len(_participants(uid, conf)) == 2)
    assert _conf(uid).status == "live"
    with session_scope() as s:
        browser_calls.hang_up(session=s, member=member_of(uid), call_sid=sid)
    # Ann hung up: the caller would be alone, so the conference ends and so does the call.
    wait_for(lambda: _conf(uid).status == "ended")
    wait_for_db(lambda s: s.exec(select(TwilioCall).where(
        TwilioCall.call_sid == conf.customer_sid, TwilioCall.status == "completed")).first())  # fmt: skip


def test_an_unanswered_transfer_brings_the_caller_back(line):
    uid, mine = line
    sid = _call_out(uid, mine)
    act(transfer.dial_in, uid, softphone_sid=sid, to="+14155550101", mode="transfer")  # busy
    back = wait_for(lambda: (c := _conf(uid)).pending == "" and not c.on_hold and c)
    assert not back.agent_left and "Not answered: +1 (415) 555-0101" in _path(uid, back)
    _end(uid, back)


def test_inbound_call_held_in_the_browser(line):
    uid, mine = line
    with session_scope() as s:
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(uid))
    sid = sandbox_device.place_inbound_call(creds, from_="+12125550199", to=mine)
    wait_for_db(lambda s: browser_calls.ringing_calls(session=s, member=member_of(uid)))
    with session_scope() as s:
        browser_calls.answer(session=s, member=member_of(uid), call_sid=sid, accept=True)
    wait_for_db(lambda s: s.exec(select(TwilioCall).where(
        TwilioCall.call_sid == sid, TwilioCall.status == "in-progress")).first())  # fmt: skip
    act(transfer.hold, uid, softphone_sid=sid, on=True)
    conf = _conf(uid)
    assert conf.customer_sid == sid and conf.rejoin_sid == sid and conf.agent_sid != sid
    assert _participants(uid, conf) == {sid: True, conf.agent_sid: False}
    _end(uid, conf)


def test_only_the_users_own_live_call_and_the_outgoing_rules(line):
    uid, mine = line
    with session_scope() as s:
        eve = auth.create_user(session=s, email="eve@example.com", password="long enough pw").id
        ben = auth.create_user(session=s, email="ben@example.com", password="long enough pw").id
    with session_scope() as s:  # Ben: an admin of Ann's workspace, who sees all her calls
        s.add(WorkspaceMember(workspace_id=personal_workspace(uid), user_id=ben,
                              role=WorkspaceRole.ADMIN))  # fmt: skip
    ben_there = member_of(ben, personal_workspace(uid))
    sid = _call_out(uid, mine)
    for func, kwargs in ((transfer.hold, {"on": True}),
                         (transfer.dial_in, {"to": COLLEAGUE, "mode": "add"})):  # fmt: skip
        with pytest.raises(NotFound):
            act(func, eve, softphone_sid=sid, **kwargs)
        with pytest.raises(NotFound), session_scope() as s:  # not the one on the call
            func(session=s, member=ben_there, softphone_sid=sid, **kwargs)
        with pytest.raises(NotFound):
            act(func, uid, softphone_sid="CA" + "0" * 32, **kwargs)
    with pytest.raises(ValidationError, match="aren't enabled"):
        act(transfer.dial_in, uid, softphone_sid=sid, to="+44 20 7183 8750", mode="transfer")
    with pytest.raises(ValidationError, match="premium"):
        act(transfer.dial_in, uid, softphone_sid=sid, to="+1 900 555 0100", mode="add")
    with session_scope() as s:
        spend.set_workspace_cap(session=s, member=member_of(uid), cap=Decimal("0"))
    with pytest.raises(ValidationError, match="spend cap"):
        act(transfer.dial_in, uid, softphone_sid=sid, to=COLLEAGUE, mode="transfer")
    with pytest.raises(ValidationError, match="how to bring"):
        act(transfer.dial_in, uid, softphone_sid=sid, to=COLLEAGUE, mode="steal")
    with session_scope() as s:
        assert s.exec(select(CallConference)).all() == []  # nothing was moved
        browser_calls.hang_up(session=s, member=member_of(uid), call_sid=sid)


def test_the_rejoin_action_is_for_the_signers_own_conference(db_url):
    """A Dial's action names a CallSid; only the account that moved that call gets the
    conference TwiML (another tenant naming the same CallSid gets nothing of it)."""
    from callplatform.routing import conference

    with session_scope() as s:
        uid = auth.create_user(session=s, email="ann@example.com", password="long enough pw").id
    leg, other = "CA" + "1" * 32, "CA" + "2" * 32
    with session_scope() as s:
        s.add(CallConference(workspace_id=personal_workspace(uid), handled_by=uid, account_sid="AC" + "a" * 32, name=f"cp-{leg}",
                             softphone_sid=leg, customer_sid=other, agent_sid=leg,
                             rejoin_sid=leg))  # fmt: skip
    with session_scope() as s:
        mine = {"CallSid": leg, "AccountSid": "AC" + "a" * 32}
        assert f">cp-{leg}</Conference>" in conference.rejoin_twiml(session=s, params=mine)
        assert 'endConferenceOnExit="false"' in conference.rejoin_twiml(session=s, params=mine)
        for forged in ({**mine, "AccountSid": "AC" + "b" * 32}, {**mine, "CallSid": other}):
            assert conference.rejoin_twiml(session=s, params=forged) is None


def test_inbound_call_named_by_its_browser_leg_as_real_twilios_sdk_does(line):
    uid, mine = line
    with session_scope() as s:
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(uid))
    sid = sandbox_device.place_inbound_call(creds, from_="+12125550199", to=mine)
    wait_for_db(lambda s: browser_calls.ringing_calls(session=s, member=member_of(uid)))
    with session_scope() as s:
        browser_calls.answer(session=s, member=member_of(uid), call_sid=sid, accept=True)
    calls = make_client(creds).api.v2010.accounts(creds.sid).calls
    leg = wait_for(lambda: calls.list(parent_call_sid=sid, status="in-progress"))[0].sid
    assert calls(leg).fetch().to == f"client:user-{uid}"  # the browser that answered
    act(transfer.hold, uid, softphone_sid=leg, on=True)
    conf = _conf(uid)
    assert (conf.customer_sid, conf.agent_sid, conf.rejoin_sid) == (sid, leg, sid)
    assert _participants(uid, conf) == {sid: True, leg: False}
    _end(uid, conf)


def test_hanging_up_mid_consultation_leaves_the_two_of_them_talking(line):
    uid, mine = line
    sid = _call_out(uid, mine)
    act(transfer.dial_in, uid, softphone_sid=sid, to=COLLEAGUE, mode="consult")
    conf = wait_for(lambda: (c := _conf(uid)).pending_joined and c)
    with session_scope() as s:
        browser_calls.hang_up(session=s, member=member_of(uid), call_sid=sid)
    after = wait_for(lambda: (c := _conf(uid)).agent_left and not c.on_hold and c)
    assert after.pending == "" and after.status == "live"
    assert _participants(uid, conf) == {conf.customer_sid: False, conf.pending_sid: False}
    _end(uid, conf)


def test_a_call_that_ends_before_it_is_moved_leaves_nothing_half_done(line):
    """Twilio refuses to move a call that is no longer in progress (21220): the hold is
    refused in words and the next try starts afresh."""
    from twilio_sandbox import calls_store

    uid, mine = line
    sid = _call_out(uid, mine)
    with session_scope() as s:
        callee = s.exec(select(TwilioCall).where(TwilioCall.parent_call_sid == sid)).one()
    from twilio_sandbox.database import session_scope as sandbox_scope
    from twilio_sandbox.models import SandboxCall

    with sandbox_scope() as sb:  # Twilio has it ended a moment before our row says so
        sb.get(SandboxCall, callee.call_sid).status = "completed"
    with pytest.raises(ValidationError, match="isn't connected any more"):
        act(transfer.hold, uid, softphone_sid=sid, on=True)
    assert _conf(uid).status == "ended"
    calls_store.clock(callee.call_sid).hang_up()
