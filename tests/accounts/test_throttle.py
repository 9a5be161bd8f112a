"""Login throttling: nobody is locked out by someone else's failures, and the client of a
request is the one its trusted proxies name, never one a client names itself."""

from __future__ import annotations

import httpx
import pytest

from callplatform import client_address, config
from callplatform.accounts import auth
from callplatform.common.errors import AuthenticationError, RateLimited
from callplatform.db import session_scope
from tests.helpers import make_user

PASSWORD = "correct horse battery"
WRONG = "wrong password!"


def login(email: str, password: str = PASSWORD, client: str = "10.0.0.1"):
    with session_scope() as s:
        return auth.login(session=s, email=email, password=password, client=client)


def fail(email: str, client: str) -> type[Exception]:
    """One wrong password; which refusal it met."""
    with pytest.raises((AuthenticationError, RateLimited)) as err:
        login(email, WRONG, client)
    return err.type


@pytest.fixture
def trusted_proxies(monkeypatch):
    def trust(value: str) -> None:
        monkeypatch.setenv("TRUSTED_PROXIES", value)
        config.reset_settings()

    yield trust
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    config.reset_settings()


def test_made_up_emails_from_one_address_lock_out_nobody_else(db_url):
    """The reported incident: a guesser behind the shared address tries made-up emails."""
    make_user("ann@example.com", password=PASSWORD)
    for n in range(25):
        fail(f"nobody{n}@example.com", "203.0.113.7")
    assert login("ann@example.com", client="203.0.113.7").token
    # Ann's own typo from that flagged address still leaves her a second try.
    fail("ann@example.com", "203.0.113.7")
    assert login("ann@example.com", client="203.0.113.7").token


def test_a_flagged_client_that_keeps_failing_an_account_is_refused_there_only(db_url):
    make_user("ann@example.com", password=PASSWORD)
    make_user("bob@example.com", password=PASSWORD)
    for n in range(20):
        fail(f"nobody{n}@example.com", "203.0.113.7")
    assert fail("ann@example.com", "203.0.113.7") is AuthenticationError
    # The second failure on Ann from a client trying everyone locks it out of Ann's account.
    assert fail("ann@example.com", "203.0.113.7") is RateLimited
    with pytest.raises(RateLimited):
        login("ann@example.com", client="203.0.113.7")
    assert login("ann@example.com", client="198.51.100.1").token  # Ann elsewhere
    assert login("bob@example.com", client="203.0.113.7").token  # Bob behind the same address


def test_guessing_one_account_from_many_addresses_locks_only_the_guessers(db_url):
    make_user("ann@example.com", password=PASSWORD)
    for n in range(20):
        fail("ann@example.com", f"198.51.100.{n}")  # under the per-client limit each
    with pytest.raises(RateLimited):  # a guesser holding the right password now
        login("ann@example.com", client="198.51.100.3")
    # A new guesser gets one guess (its failure locks it out), then not even the right one.
    assert fail("ann@example.com", "192.0.2.50") is RateLimited
    with pytest.raises(RateLimited):
        login("ann@example.com", client="192.0.2.50")
    assert login("ann@example.com", client="10.9.9.9").token  # the owner's own device


def test_the_pair_lock_outlasts_the_window_it_started_in(db_url, monkeypatch):
    from datetime import timedelta

    from callplatform.models.base import utcnow

    make_user("ann@example.com", password=PASSWORD)
    start = utcnow()
    clock = {"now": start}
    monkeypatch.setattr("callplatform.accounts.throttle.utcnow", lambda: clock["now"])
    fail("ann@example.com", "c")
    clock["now"] = start + timedelta(minutes=14)
    for _ in range(4):
        fail("ann@example.com", "c")  # the fifth failure locks, 14 minutes into the window
    clock["now"] = start + timedelta(minutes=20)
    with pytest.raises(RateLimited):
        login("ann@example.com", client="c")
    clock["now"] = start + timedelta(minutes=30)
    assert login("ann@example.com", client="c").token


def test_forwarded_for_is_believed_only_from_trusted_proxies(trusted_proxies):
    spoofed = "6.6.6.6, 192.0.2.1"
    assert client_address.client_address("203.0.113.9", spoofed) == "203.0.113.9"
    trusted_proxies("10.0.0.0/8, 127.0.0.1")
    assert client_address.client_address("203.0.113.9", spoofed) == "203.0.113.9"
    # Through our proxies: the first address from the right that is not one of them.
    assert client_address.client_address("10.1.1.1", "6.6.6.6, 192.0.2.1") == "192.0.2.1"
    assert client_address.client_address("127.0.0.1", "192.0.2.1, 10.2.2.2") == "192.0.2.1"
    assert client_address.client_address("10.1.1.1", "not-an-ip") == "10.1.1.1"
    assert client_address.client_address("10.1.1.1", None) == "10.1.1.1"
    assert client_address.forwarded_https("10.1.1.1", "https")
    assert not client_address.forwarded_https("203.0.113.9", "https")


def test_a_bad_trusted_proxies_setting_stops_the_app(trusted_proxies):
    with pytest.raises(ValueError, match="10.0.0.300"):
        trusted_proxies("10.0.0.300")
        config.get_settings()


def _token(base: str, password: str, forwarded_for: str) -> int:
    return httpx.post(
        f"{base}/api/auth/token",
        json={"email": "ann@example.com", "password": password},
        headers={"X-Forwarded-For": forwarded_for},
    ).status_code


def test_the_api_counts_the_client_its_trusted_proxy_names(sqlite_db, live_api, trusted_proxies):
    make_user("ann@example.com", password=PASSWORD)
    for _ in range(5):
        _token(live_api, WRONG, "192.0.2.1")
    # Untrusted peer: the header is ignored, so the lock holds whatever it claims.
    assert _token(live_api, PASSWORD, "192.0.2.2") == 429
    trusted_proxies("127.0.0.1")
    for _ in range(5):
        _token(live_api, WRONG, "192.0.2.10")
    assert _token(live_api, PASSWORD, "192.0.2.10") == 429
    assert _token(live_api, PASSWORD, "192.0.2.11") == 200


def test_the_sweep_forgets_closed_counters_and_keeps_open_ones_and_locks(db_url, monkeypatch):
    from datetime import timedelta

    from sqlmodel import select

    from callplatform import sweeps
    from callplatform.models import LoginThrottle
    from callplatform.models.base import utcnow

    make_user("ann@example.com", password=PASSWORD)
    start = utcnow()
    clock = {"now": start}
    monkeypatch.setattr("callplatform.accounts.throttle.utcnow", lambda: clock["now"])
    for _ in range(5):
        fail("ann@example.com", "locked-out")  # locked until start + 15 min
    fail("carol@example.com", "slow")  # carol's window opens at the start ...
    clock["now"] = start + timedelta(minutes=14)
    for _ in range(4):
        fail("carol@example.com", "slow")  # ... and her lock, at 14 min, outlasts it
    fail("bob@example.com", "typo")  # a fresh window

    def keys():
        with session_scope() as s:
            return {row.key for row in s.exec(select(LoginThrottle))}

    before = keys()
    clock["now"] = start + timedelta(minutes=16)  # ann's window closed, her lock ended
    sweeps.run_once()
    bobs = {k for k in before if "bob@" in k or "typo" in k}
    assert keys() == bobs | {"pair:carol@example.com|slow"}  # open windows, running locks
    assert fail("carol@example.com", "slow") is RateLimited
    for _ in range(4):  # Bob's counters still count: five failures in all lock him out
        fail("bob@example.com", "typo")
    assert fail("bob@example.com", "typo") is RateLimited
