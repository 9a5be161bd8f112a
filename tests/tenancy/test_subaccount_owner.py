"""Which workspace owns a subaccount, as every webhook asks it: cached, but never across databases
(one process may serve several one after another, even under the same URL emptied in
between, and the same AccountSid names a different owner in each)."""

from __future__ import annotations

from callplatform.db import session_scope
from callplatform.models import TwilioSubaccount
from callplatform.tenancy import crypto, subaccounts
from tests.conftest import _fresh_postgres, _sqlite_copy, use_database
from tests.helpers import make_user, personal_workspace

ACCOUNT = "AC" + "5" * 32


def _owner(*, padding: int) -> int:
    """The workspace owning ACCOUNT (its owner's personal one)."""
    for n in range(padding):  # the owner gets a different id in each database
        make_user(f"padding{n}@example.com")
    owner = make_user("owner@example.com")
    workspace = personal_workspace(owner)
    with session_scope() as s:
        s.add(TwilioSubaccount(user_id=owner, workspace_id=workspace, account_sid=ACCOUNT,
                               auth_token_encrypted=crypto.encrypt("f" * 32)))  # fmt: skip
    return workspace


def _asked(account_sid: str) -> int | None:
    with session_scope() as s:
        return subaccounts.find_workspace_id_by_account(session=s, account_sid=account_sid)


def test_the_owner_is_the_one_in_the_database_asked(db_url, sqlite_template, tmp_path, monkeypatch):
    first = _owner(padding=0)
    assert _asked(ACCOUNT) == first
    assert _asked("AC" + "6" * 32) is None  # not ours
    if db_url.startswith("sqlite"):  # another database
        (tmp_path / "b").mkdir()
        use_database(monkeypatch, _sqlite_copy(sqlite_template, tmp_path / "b"))
    else:  # the same one, emptied, as the next test finds it
        _fresh_postgres(db_url)
        use_database(monkeypatch, db_url)
    second = _owner(padding=3)
    assert second != first
    assert _asked(ACCOUNT) == second
