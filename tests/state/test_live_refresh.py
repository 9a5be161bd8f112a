"""A pushed `changed` runs every refresh the tab's page wants after one session check and
one look at the workspace its login acts in (each refresh used to ask the database
again), and a tab whose session has ended is sent to the login page without any refresh
running."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from callplatform import db
from callplatform.accounts import auth, sessions
from callplatform.db import session_scope
from callplatform.pages.dashboard import DashboardState
from callplatform.state.live import LiveState
from tests.state.harness import call, login_token, state_for

PASSWORD = "long enough pw"


@pytest.fixture
def ann_token(sqlite_db) -> str:
    with session_scope() as s:
        auth.create_user(session=s, email="ann@example.com", password=PASSWORD)
    return login_token("ann@example.com", PASSWORD)


@pytest.fixture
def statements():
    """The SQL the engine runs from now on."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


def test_one_session_check_for_all_the_refreshes_of_a_push(ann_token, statements):
    live = state_for(LiveState, ann_token)  # the dashboard: it and the softphone refresh
    call(live, "changed", ["calls"])
    dashboard = live._get_root_state().get_substate(DashboardState.get_full_name().split("."))
    assert dashboard.loaded  # the dashboard's refresh ran, as the user
    logins = [s for s in statements if "auth_sessions" in s]
    # One session check, and one look at the workspace the login acts in: for both
    # refreshes (the dashboard's and the softphone's), each would ask again.
    assert len(logins) == 2, logins
    assert len([s for s in logins if "FROM users" in s]) == 1, logins


def test_a_push_to_a_tab_whose_session_ended_refreshes_nothing(ann_token, statements):
    with session_scope() as s:
        sessions.revoke_session(session=s, token=ann_token)
    live = state_for(LiveState, ann_token)
    (redirect,) = call(live, "changed", ["calls"])
    assert "/login" in str(redirect)
    dashboard = live._get_root_state().get_substate(DashboardState.get_full_name().split("."))
    assert not dashboard.loaded
