"""The softphone's hold and transfer handlers on a real sandbox call: they act on the call
the tab follows (never an id from the browser), show what Twilio did, and refuse a tab
with no connected call."""

from __future__ import annotations

import pytest
from sqlmodel import select

from callplatform import config
from callplatform.accounts import auth
from callplatform.calls import presence
from callplatform.db import session_scope
from callplatform.models import CallConference, TwilioCall, User
from callplatform.numbers import inventory
from callplatform.state.softphone import SoftphoneState
from callplatform.state.softphone_transfer import CallTransferState
from tests.helpers import member_of, wait_for, wait_for_db
from tests.state.harness import call, login_token, state_for

PASSWORD = "long enough pw"


@pytest.fixture
def tab(telephony, monkeypatch):
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.04")
    config.reset_settings()
    with session_scope() as s:
        uid = auth.create_user(session=s, email="ann@example.com", password=PASSWORD).id
    offer = inventory.search_numbers(area_code="415")[0].phone_number
    with session_scope() as s:
        inventory.buy_number(session=s, member=member_of(uid), phone_number=offer)
        presence.touch(session=s, user_id=uid)
    phone = state_for(SoftphoneState, login_token("ann@example.com", PASSWORD))
    phone.caller_id = offer
    controls = phone.get_substate(CallTransferState.get_full_name().split(".")[-1:])
    return phone, controls


def test_hold_resume_and_transfer_from_the_softphone(tab):
    phone, controls = tab
    assert call(controls, "toggle_hold") and not controls.held  # no call: refused
    call(phone, "set_to", "(212) 555-0199")
    call(phone, "call")
    wait_for_db(lambda s: s.exec(select(TwilioCall).where(
        TwilioCall.parent_call_sid == phone._parent_sid, TwilioCall.status == "in-progress")).first())  # fmt: skip
    call(phone, "sync")
    assert phone.status == "in-progress"
    call(controls, "toggle_hold")
    assert controls.held and controls.busy == ""
    call(controls, "toggle_hold")
    assert not controls.held
    call(controls, "set_target", "(646) 555-0123")
    call(controls, "bring_in", "transfer")
    assert controls.confirming == "transfer"  # asked twice: it drops the user
    call(controls, "bring_in", "transfer")
    assert controls.target_error == ""
    wait_for(lambda: (call(controls, "sync_hold"), controls.status == "ended")[1])
    assert controls.status_text == "Call transferred" and phone._parent_sid == ""
    with session_scope() as s:
        assert s.exec(select(CallConference)).one().agent_left


def test_a_call_passed_to_a_teammates_softphone(tab):
    """Ann passes her call to Ben, who acts in her team: his softphone offers it, he takes
    it and follows his leg; Ann's shows it handed over."""
    from callplatform.accounts import login_workspace
    from callplatform.models import WorkspaceMember
    from tests.helpers import personal_workspace

    phone, controls = tab
    with session_scope() as s:
        ann_id = s.exec(select(User.id).where(User.email == "ann@example.com")).one()
    ann = personal_workspace(ann_id)
    with session_scope() as s:
        ben = auth.create_user(session=s, email="ben@example.com", password=PASSWORD).id
    with session_scope() as s:
        s.add(WorkspaceMember(workspace_id=ann, user_id=ben))
        presence.touch(session=s, user_id=ben)
    token = login_token("ben@example.com", PASSWORD)
    with session_scope() as s:
        login_workspace.switch(session=s, token=token, user_id=ben, workspace_id=ann)
    ben_phone = state_for(SoftphoneState, token)
    ben_controls = ben_phone.get_substate(CallTransferState.get_full_name().split(".")[-1:])

    call(phone, "set_to", "(212) 555-0199")
    call(phone, "call")
    wait_for_db(lambda s: s.exec(select(TwilioCall).where(
        TwilioCall.parent_call_sid == phone._parent_sid, TwilioCall.status == "in-progress")).first())  # fmt: skip
    call(phone, "sync")
    call(controls, "toggle_panel")
    assert controls.team == [[str(ben), "ben"]]
    call(controls, "set_target_member", "999")  # not one of the team shown: ignored
    assert controls.target_member == ""
    call(controls, "set_target_member", str(ben))
    call(controls, "bring_in", "transfer")
    call(controls, "bring_in", "transfer")
    assert controls.target_error == "" and controls.pending == "transfer"
    assert controls.pending_text == "Transferring to ben…"
    call(ben_controls, "sync_hold")
    assert ben_controls.offer_id and ben_controls.offer_text == "ann is passing you a call"
    call(ben_controls, "take_offer", True)
    assert ben_phone.status == "in-progress" and ben_phone._parent_sid.startswith("CA")
    wait_for(lambda: (call(controls, "sync_hold"), controls.status == "ended")[1])
    assert controls.status_text == "Call transferred"
    wait_for(lambda: (call(ben_phone, "sync"), ben_phone.status == "in-progress")[1])
    with session_scope() as s:
        conf = s.exec(select(CallConference)).one()
        assert conf.agent_left and conf.pending_sid == ben_phone._parent_sid
