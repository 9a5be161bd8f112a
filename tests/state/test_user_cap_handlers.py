"""One user's cap is set from that user's row (UserCapState): an admin opens it by the
row's user, sees their email and current cap, saves; anyone else changes nothing."""

from __future__ import annotations

from decimal import Decimal

import callplatform.callplatform  # noqa: F401  (registers every page and its state)
from callplatform.accounts import auth
from callplatform.db import session_scope
from callplatform.models import Role, Workspace
from callplatform.pages.admin.user_cap import UserCapState, parse_cap
from tests.helpers import personal_workspace
from tests.state import exposure
from tests.state.harness import login_token
from tests.state.two_users import ANN, BOB, PASSWORD, seed


def _admin() -> str:
    with session_scope() as s:
        auth.create_user(session=s, email="boss@example.com", password=PASSWORD, role=Role.ADMIN)
    return login_token("boss@example.com", PASSWORD)


def test_an_admin_sets_a_users_cap_from_their_row(sqlite_db):
    ann = seed()[ANN].user
    tab = exposure.open_tab(UserCapState, _admin())
    exposure.run(tab, "open_for", [ann])
    assert (tab.user_id, tab.email, tab.cap) == (ann, ANN, "")
    exposure.run(tab, "set_cap", ["$12.50"])
    exposure.run(tab, "save", [{}])
    assert tab.user_id == 0 and tab.error == ""
    with session_scope() as s:  # the cap of Ann's personal workspace
        assert s.get(Workspace, personal_workspace(ann)).monthly_cap == Decimal("12.50")
    exposure.run(tab, "open_for", [ann])
    assert tab.cap == "12.50"
    exposure.run(tab, "set_cap", ["twelve"])
    exposure.run(tab, "save", [{}])
    assert tab.user_id == ann and "dollars" in tab.error  # stays open, says what to type
    exposure.run(tab, "close", [])
    assert (tab.user_id, tab.email, tab.cap, tab.error) == (0, "", "", "")


def test_non_admins_neither_see_nor_set_a_cap(sqlite_db):
    people = seed()
    ann = people[ANN].user
    bob = exposure.open_tab(UserCapState, login_token(BOB, PASSWORD))
    exposure.run(bob, "open_for", [ann])
    assert (bob.user_id, bob.email) == (0, "")
    bob.user_id, bob.cap = ann, "0"  # what a client could set itself
    exposure.run(bob, "save", [{}])
    with session_scope() as s:
        assert s.get(Workspace, personal_workspace(ann)).monthly_cap is None


def test_parse_cap():
    assert parse_cap("") is None and parse_cap(" $1,000.5 ") == Decimal("1000.5")
    for bad in ("abc", "NaN", "Infinity"):
        try:
            parse_cap(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
