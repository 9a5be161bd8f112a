"""The softphone says why Call is greyed out, and after answering an incoming call it
offers the user's own numbers (not "Buy a number") to call from next."""

from __future__ import annotations

import pytest

from callplatform.calls import browser_calls
from callplatform.db import session_scope
from callplatform.state.softphone import FULL_NUMBER_HINT, SoftphoneState
from callplatform.telephony import sandbox_device
from callplatform.tenancy import subaccounts
from tests.calls.test_calling import line, wait_for  # noqa: F401 - the fixture
from tests.state.harness import call, login_token, state_for


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


def test_answering_a_call_shows_the_users_own_numbers(line):  # noqa: F811
    uid, mine = line
    with session_scope() as s:
        creds = subaccounts.get_credentials(session=s, user_id=uid)
    sid = sandbox_device.place_inbound_call(creds, from_="+12125550142", to=mine)
    wait_for(lambda s: browser_calls.ringing_calls(session=s, owner_id=uid))
    state = state_for(SoftphoneState, login_token("ann@example.com", "long enough pw"))
    state.incoming_sid = sid  # as the tick showed it
    call(state, "respond", True)
    assert state.open and state.status == "in-progress"
    assert [number for number, _label in state.caller_ids] == [mine]
    assert state.caller_id == mine
