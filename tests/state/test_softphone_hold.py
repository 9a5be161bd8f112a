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
from callplatform.models import CallConference, TwilioCall
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
