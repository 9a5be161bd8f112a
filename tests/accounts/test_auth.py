"""Accounts and sessions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from callplatform.accounts import auth, sessions
from callplatform.admin import users
from callplatform.common.errors import (
    AuthenticationError,
    PermissionDenied,
    RateLimited,
    ValidationError,
)
from callplatform.db import session_scope
from callplatform.models import AuthSession, Role, User
from callplatform.models.base import utcnow
from tests.helpers import make_user

PASSWORD = "correct horse battery"


def login(email="ann@example.com", password=PASSWORD, client="10.0.0.1"):
    with session_scope() as s:
        return auth.login(session=s, email=email, password=password, client=client)


def user_for(token):
    with session_scope() as s:
        return sessions.get_session_user(session=s, token=token)


def test_register_login_logout(db_url):
    user_id = make_user(email="  Ann@Example.com ", password=PASSWORD)
    result = login()
    assert result.user_id == user_id
    assert user_for(result.token).email == "ann@example.com"
    with session_scope() as s:
        stored = s.exec(select(AuthSession)).one()
        assert stored.token_hash != result.token and len(stored.token_hash) == 64
        assert s.get(User, user_id).password_hash.startswith("$argon2")
        auth.logout(session=s, token=result.token)
    assert user_for(result.token) is None


def test_each_login_gets_a_new_token(db_url):
    make_user(password=PASSWORD)
    assert login().token != login().token


@pytest.mark.parametrize(
    ("email", "password", "field", "words"),
    [
        ("not-an-email", PASSWORD, "email", "valid email"),
        ("", PASSWORD, "email", "Enter your email"),
        ("bob@example.com", "short", "password", "at least 10"),
        ("bob@example.com", "x" * 257, "password", "at most 256"),
        ("bob@example.com", "password123", "password", "too easy"),
        ("bob@example.com", "aaaaaaaaaaaa", "password", "too easy"),
    ],
)
def test_bad_registration_input_is_explained_and_changes_nothing(
    db_url, email, password, field, words
):
    with pytest.raises(ValidationError) as err:
        make_user(email=email, password=password)
    assert err.value.field == field and words in err.value.message
    with session_scope() as s:
        assert s.exec(select(User)).all() == []


def test_email_taken(db_url):
    make_user(password=PASSWORD)
    with pytest.raises(ValidationError, match="already exists") as err:
        make_user(email="ANN@example.com", password=PASSWORD)
    assert err.value.field == "email"


def test_long_password_is_not_truncated(db_url):
    long_pw = "Zq9!" * 60  # 240 characters
    make_user(password=long_pw)
    assert login(password=long_pw)
    with pytest.raises(AuthenticationError):
        login(password=long_pw[:-1] + "?")


def test_wrong_password_and_unknown_email_answer_alike(db_url, monkeypatch):
    """Both paths run one argon2 verify (counted, not timed: a timing on a shared machine
    says more about the machine), so neither answers faster and tells an account exists."""
    from callplatform.accounts import passwords

    make_user(password=PASSWORD)
    verify, verifies = passwords.verify_password, []

    def counted(password, password_hash):
        verifies.append(password_hash)
        return verify(password, password_hash)

    monkeypatch.setattr(passwords, "verify_password", counted)
    runs = {}
    for label, email in (("known", "ann@example.com"), ("unknown", "nobody@example.com")):
        verifies.clear()
        with pytest.raises(AuthenticationError) as err:
            login(email=email, password="wrong password!", client=label)
        assert err.value.message == auth.BAD_LOGIN
        runs[label] = ["$".join(h.split("$")[1:4]) for h in verifies]  # scheme and cost
    assert len(runs["known"]) == 1 and runs["known"][0].startswith("argon2")
    assert runs["unknown"] == runs["known"]  # the same verify, at the same cost


def test_repeated_failures_lock_the_pair_not_the_owner_elsewhere(db_url):
    make_user(password=PASSWORD)
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            login(password="wrong password!", client="attacker")
    with pytest.raises(RateLimited, match="Try again in"):
        login(password="wrong password!", client="attacker")
    with pytest.raises(RateLimited):  # even the right password, from that client
        login(client="attacker")
    assert login(client="owner-laptop").token  # the owner elsewhere still gets in


def test_lock_expires(db_url, monkeypatch):
    make_user(password=PASSWORD)
    for _ in range(5):
        with pytest.raises((AuthenticationError, RateLimited)):
            login(password="wrong password!", client="c")
    later = utcnow() + timedelta(minutes=16)
    monkeypatch.setattr("callplatform.accounts.throttle.utcnow", lambda: later)
    assert login(client="c").token


def test_change_password_revokes_other_sessions(db_url):
    make_user(password=PASSWORD)
    here, elsewhere = login(), login(client="10.0.0.2")
    with session_scope() as s:
        user = s.get(User, here.user_id)
        with pytest.raises(ValidationError) as err:
            auth.change_password(
                session=s,
                user=user,
                current_password="nope nope nope",
                new_password="another long one",
                keep_token=here.token,
            )
        assert err.value.field == "current_password"
    with session_scope() as s:
        user = s.get(User, here.user_id)
        auth.change_password(
            session=s,
            user=user,
            current_password=PASSWORD,
            new_password="another long one",
            keep_token=here.token,
        )
    assert user_for(here.token) is not None
    assert user_for(elsewhere.token) is None
    with pytest.raises(AuthenticationError):
        login()
    assert login(password="another long one")


def test_expired_session_and_suspended_user_resolve_to_nobody(db_url):
    user_id = make_user(password=PASSWORD)
    token = login().token
    with session_scope() as s:
        row = s.exec(select(AuthSession)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        s.add(row)
    assert user_for(token) is None
    token = login().token
    with session_scope() as s:
        s.get(User, user_id).is_suspended = True
    assert user_for(token) is None
    with pytest.raises(AuthenticationError, match="suspended"):
        login()


def test_only_admins_promote(db_url):
    admin_id = make_user("root@example.com", role=Role.ADMIN, password=PASSWORD)
    user_id = make_user("ann@example.com", password=PASSWORD)
    with session_scope() as s, pytest.raises(PermissionDenied):
        users.promote_to_admin(session=s, actor=s.get(User, user_id), user_id=user_id)
    with session_scope() as s:
        users.promote_to_admin(session=s, actor=s.get(User, admin_id), user_id=user_id)
    with session_scope() as s:
        assert s.get(User, user_id).role == Role.ADMIN


def test_suspension_ends_sessions_at_once_and_only_admins_do_it(db_url):
    admin_id = make_user("root@example.com", role=Role.ADMIN, password=PASSWORD)
    user_id = make_user("ann@example.com", password=PASSWORD)
    token = login().token
    with session_scope() as s, pytest.raises(PermissionDenied):
        users.set_suspended(session=s, actor=s.get(User, user_id), user_id=admin_id, suspended=True)
    with session_scope() as s:
        users.set_suspended(session=s, actor=s.get(User, admin_id), user_id=user_id, suspended=True)
    assert user_for(token) is None
    with session_scope() as s:
        users.set_suspended(
            session=s, actor=s.get(User, admin_id), user_id=user_id, suspended=False
        )
    assert login().token


@pytest.mark.parametrize("app_env", ["development", "production"])
def test_deployments_hash_at_full_cost(app_env, monkeypatch):
    """Only the test suite takes argon2's cheapest parameters; anything else pays the
    full 64 MiB and 3 passes, and a hash of either kind verifies under the other."""
    from callplatform import config
    from callplatform.accounts import passwords

    monkeypatch.setenv("APP_ENV", app_env)
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    config.reset_settings()
    try:
        strong = passwords.hash_password(PASSWORD)
        assert "$m=65536,t=3," in strong
        monkeypatch.setenv("APP_ENV", "test")
        config.reset_settings()
        assert "$m=1024,t=1,p=1$" in passwords.hash_password(PASSWORD)
        assert passwords.verify_password(PASSWORD, strong)
    finally:
        config.reset_settings()
