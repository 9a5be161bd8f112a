"""Who owns a subaccount, as every webhook asks it: cached, but never across databases
(one process may serve several one after another, and the same AccountSid names a
different owner in each)."""

from __future__ import annotations

from callplatform import db
from callplatform.db import session_scope
from callplatform.models import TwilioSubaccount
from callplatform.tenancy import crypto, subaccounts
from tests.conftest import _sqlite_copy, use_database
from tests.helpers import make_user

ACCOUNT = "AC" + "5" * 32


def _owned_in_a_new_database(template, folder, monkeypatch, *, padding: int) -> int:
    folder.mkdir()
    use_database(monkeypatch, _sqlite_copy(template, folder))
    for n in range(padding):  # the owner gets a different id in each database
        make_user(f"padding{n}@example.com")
    owner = make_user("owner@example.com")
    with session_scope() as s:
        s.add(TwilioSubaccount(user_id=owner, account_sid=ACCOUNT,
                               auth_token_encrypted=crypto.encrypt("f" * 32)))  # fmt: skip
    return owner


def _asked(account_sid: str) -> int | None:
    with session_scope() as s:
        return subaccounts.find_user_id_by_account(session=s, account_sid=account_sid)


def test_the_owner_is_the_one_in_the_database_asked(sqlite_template, tmp_path, monkeypatch):
    first = _owned_in_a_new_database(sqlite_template, tmp_path / "a", monkeypatch, padding=0)
    assert _asked(ACCOUNT) == first
    assert _asked("AC" + "6" * 32) is None  # not ours
    second = _owned_in_a_new_database(sqlite_template, tmp_path / "b", monkeypatch, padding=3)
    assert second != first
    assert _asked(ACCOUNT) == second
    db.reset_engine()
