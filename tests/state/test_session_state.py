"""The UI's session: the token comes from the websocket's cookie and never enters the
state sent to the browser; logging out empties every page state of the tab."""

from __future__ import annotations

import json

from reflex.utils.serializers import serialize

from callplatform.accounts import auth, sessions
from callplatform.db import session_scope
from callplatform.pages.calls.state import CallsState
from callplatform.pages.dashboard import DashboardState
from callplatform.state.session import SessionState
from callplatform.state.softphone import SoftphoneState
from tests.state.harness import call, login_token, state_for

PASSWORD = "long enough pw"


def _ann_token() -> str:
    with session_scope() as s:
        auth.create_user(session=s, email="ann@example.com", password=PASSWORD)
    return login_token("ann@example.com", PASSWORD)


def _session_of(state) -> SessionState:
    return state._get_root_state().get_substate(SessionState.get_full_name().split("."))


def _everything_sent(state) -> str:
    """The whole tree as the browser would receive it."""
    root = state._get_root_state()
    return json.dumps(root.dict(), default=serialize)


def test_handlers_see_the_cookie_the_browser_never_does(sqlite_db):
    token = _ann_token()
    dashboard = state_for(DashboardState, token)
    call(_session_of(dashboard), "require_login")
    assert dashboard.user_email == "ann@example.com"
    assert token not in _everything_sent(dashboard)
    stranger = state_for(DashboardState, "forged")
    call(_session_of(stranger), "require_login")
    assert stranger.user_email == ""


def test_logging_out_empties_every_state_of_the_tab(sqlite_db):
    token = _ann_token()
    dashboard = state_for(DashboardState, token)
    call(_session_of(dashboard), "require_login")
    root = dashboard._get_root_state()
    calls = root.get_substate(CallsState.get_full_name().split("."))
    dialer = root.get_substate(SoftphoneState.get_full_name().split("."))
    dashboard.spend, calls.search, calls.page = "$3.00", "+1 212 555 0100", 4
    dialer.to_raw, dialer._parent_sid = "+12125550100", "CA123"
    (event,) = call(_session_of(dashboard), "logout")

    assert sessions.END_PATH in str(event.args)  # then the server clears the cookie
    assert (dashboard.user_email, dashboard.spend) == ("", "$0.00")
    assert (calls.search, calls.page, dialer.to_raw, dialer._parent_sid) == ("", 1, "", "")
    assert "ann@example.com" not in _everything_sent(dashboard)
    with session_scope() as s:
        assert sessions.get_session_user(session=s, token=token) is None


def test_a_session_ended_elsewhere_empties_the_tab_too(sqlite_db):
    token = _ann_token()
    calls = state_for(CallsState, token)
    call(_session_of(calls), "require_login")
    calls.search = "+1 212 555 0100"
    with session_scope() as s:
        auth.logout(session=s, token=token)  # another tab logged out
    call(_session_of(calls), "require_login")
    assert (calls.user_email, calls.search) == ("", "")
