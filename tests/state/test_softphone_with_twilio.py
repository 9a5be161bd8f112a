"""With real Twilio credentials the browser's Voice SDK places and answers calls: the
dialer still checks every rule on the server, then hands the browser a `connect` for the
cleared destination only. Twilio here is the sandbox, reached as real Twilio would be
(account SID and auth token in the settings), over real HTTP."""

from __future__ import annotations

import pytest

from callplatform import config
from callplatform.accounts import auth
from callplatform.db import session_scope
from callplatform.numbers import inventory, pricing
from callplatform.state.softphone import SoftphoneState
from callplatform.telephony import client
from tests.helpers import member_of
from tests.state.harness import call, login_token, state_for
from twilio_sandbox.credentials import master_credentials

PASSWORD = "long enough pw"


@pytest.fixture
def with_twilio(telephony, monkeypatch):
    sid, token = master_credentials()
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", sid)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", token)
    config.reset_settings()
    client.clear_client_cache()
    pricing.clear_cache()
    with session_scope() as s:
        uid = auth.create_user(session=s, email="ann@example.com", password=PASSWORD).id
    offer = inventory.search_numbers(area_code="415")[0].phone_number
    with session_scope() as s:
        inventory.buy_number(session=s, member=member_of(uid), phone_number=offer)
    yield offer
    client.clear_client_cache()


def _scripts(events) -> list[str]:
    return [str(e) for e in events if "cpVoice" in str(e)]


def test_cleared_calls_are_connected_by_the_browser(with_twilio):
    assert not config.get_settings().uses_sandbox
    state = state_for(SoftphoneState, login_token("ann@example.com", PASSWORD))
    state.caller_id = with_twilio
    call(state, "set_to", "(212) 555-0123")
    scripts = _scripts(call(state, "call"))
    assert len(scripts) == 1 and "connect" in scripts[0]
    assert "+12125550123" in scripts[0] and with_twilio in scripts[0]
    assert state.status == "connecting" and state.to_error == ""


def test_refused_calls_never_reach_the_browser(with_twilio):
    state = state_for(SoftphoneState, login_token("ann@example.com", PASSWORD))
    state.caller_id = with_twilio
    call(state, "set_to", "+44 20 7183 8750")
    assert _scripts(call(state, "call")) == []
    assert state.status == "idle" and "country" in state.to_error


def test_the_device_may_only_name_a_call_sid(with_twilio):
    state = state_for(SoftphoneState, login_token("ann@example.com", PASSWORD))
    call(state, "device_event", "connected", "not-a-sid'); alert(1); ('")
    assert state._parent_sid == ""
    call(state, "device_event", "connected", "CA" + "0" * 32)
    assert state._parent_sid == "CA" + "0" * 32
