"""The softphone says why Call is greyed out, and after answering an incoming call it
offers the user's own numbers (not "Buy a number") to call from next."""

from __future__ import annotations

import time

import pytest

from callplatform import config
from callplatform.accounts import auth
from callplatform.calls import browser_calls, presence
from callplatform.db import session_scope
from callplatform.numbers import inventory
from callplatform.state.softphone import FULL_NUMBER_HINT, SoftphoneState
from callplatform.telephony import sandbox_device
from callplatform.tenancy import subaccounts
from tests.helpers import member_of, personal_workspace
from tests.state.harness import call, login_token, state_for

PASSWORD = "long enough pw"


@pytest.fixture
def line(telephony, monkeypatch):
    """A user with a number, online; sandbox calls sped up 50x."""
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.02")
    config.reset_settings()
    with session_scope() as s:
        uid = auth.create_user(session=s, email="ann@example.com", password=PASSWORD).id
    offer = inventory.search_numbers(area_code="415")[0].phone_number
    with session_scope() as s:
        inventory.buy_number(session=s, member=member_of(uid), phone_number=offer)
        presence.touch(session=s, user_id=uid)
    return uid, offer


def _ringing(uid: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope() as s:
            if browser_calls.ringing_calls(session=s, member=member_of(uid)):
                return
        time.sleep(0.05)
    raise AssertionError("the inbound call never rang")


@pytest.mark.parametrize("typed", ["abc", "123", "415 555", "+1 (415"])
def test_what_cannot_be_called_yet_says_why(typed):
    state = state_for(SoftphoneState, "no-session")
    call(state, "set_to", typed)
    assert state.to_display == "" and state.to_error == ""
    assert state.to_hint == FULL_NUMBER_HINT


@pytest.mark.parametrize("typed", ["", "(212) 555-0105"])
def test_nothing_or_a_full_number_needs_no_hint(typed):
    state = state_for(SoftphoneState, "no-session")
    call(state, "set_to", "abc")
    call(state, "set_to", typed)
    assert state.to_hint == ""


def test_answering_a_call_shows_the_users_own_numbers(line):
    uid, mine = line
    with session_scope() as s:
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(uid))
    sid = sandbox_device.place_inbound_call(creds, from_="+12125550142", to=mine)
    _ringing(uid)
    state = state_for(SoftphoneState, login_token("ann@example.com", PASSWORD))
    state.incoming_sid = sid  # as a sync showed it
    call(state, "respond", True)
    assert state.open and state.status == "in-progress"
    assert [number for number, _label in state.caller_ids] == [mine]
    assert state.caller_id == mine
