"""Profiles and the sessions list, on SQLite and PostgreSQL: bad input changes nothing,
and a user reaches only their own sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from callplatform.accounts import auth, profile, sessions
from callplatform.common.errors import NotFound, ValidationError
from callplatform.db import session_scope
from callplatform.models import AuthSession, User
from callplatform.models.base import utcnow

PASSWORD = "correct horse battery"


@pytest.fixture
def users(db_url):
    with session_scope() as s:
        ann = auth.create_user(session=s, email="ann@example.com", password=PASSWORD)
        bob = auth.create_user(session=s, email="bob@example.com", password=PASSWORD)
        return ann, bob


def _browser_session(user_id: int, agent: str) -> str:
    with session_scope() as s:
        code = sessions.create_handoff(session=s, user_id=user_id)
    with session_scope() as s:
        return sessions.claim_handoff(session=s, code=code, user_agent=agent)


def _user(user_id: int) -> User:
    with session_scope() as s:
        return s.get(User, user_id)


def test_profile_saves_and_bad_input_changes_nothing(users):
    ann, _ = users
    with session_scope() as s:
        profile.update_profile(
            session=s, user=ann, display_name="  Ann  E. ", time_zone="Asia/Tokyo"
        )
    assert (_user(ann.id).display_name, _user(ann.id).time_zone) == ("Ann E.", "Asia/Tokyo")
    for name, zone, field in [
        ("Ann", "Mars/Olympus", "time_zone"),
        ("Ann", "", "time_zone"),
        ("Ann", None, "time_zone"),
        ("x" * 65, "UTC", "display_name"),
        ("bad\x00name", "UTC", "display_name"),
    ]:
        with pytest.raises(ValidationError) as err, session_scope() as s:
            profile.update_profile(session=s, user=ann, display_name=name, time_zone=zone)
        assert err.value.field == field
    assert (_user(ann.id).display_name, _user(ann.id).time_zone) == ("Ann E.", "Asia/Tokyo")


def test_the_browser_zone_is_adopted_once_and_only_if_real(users):
    ann, _ = users
    with session_scope() as s:
        assert profile.adopt_browser_zone(session=s, user=ann, zone="<script>") == "UTC"
    assert _user(ann.id).time_zone == ""
    with session_scope() as s:
        assert (
            profile.adopt_browser_zone(session=s, user=ann, zone="Europe/Paris") == "Europe/Paris"
        )
    with session_scope() as s:  # a chosen zone is never overwritten by the browser's
        assert profile.adopt_browser_zone(session=s, user=ann, zone="Asia/Tokyo") == "Europe/Paris"


def test_sessions_are_listed_and_ended_by_their_owner_only(users):
    ann, bob = users
    here = _browser_session(ann.id, "Firefox here")
    there = _browser_session(ann.id, "Chrome there")
    bobs = _browser_session(bob.id, "Bob's browser")
    with session_scope() as s:
        sessions.create_handoff(session=s, user_id=ann.id)  # an untraded code is no session
        listed = profile.list_sessions(session=s, user=ann, current_token=here)
    assert [(i.user_agent, i.current) for i in listed] == [
        ("Firefox here", True),
        ("Chrome there", False),
    ]
    with session_scope() as s:
        bob_row = s.exec(select(AuthSession).where(AuthSession.user_id == bob.id)).one()
    with pytest.raises(NotFound), session_scope() as s:
        profile.end_session(session=s, user=ann, session_id=bob_row.id)
    for bad in (0, -1, "1", None, True, 10**30):
        with pytest.raises(NotFound), session_scope() as s:
            profile.end_session(session=s, user=ann, session_id=bad)
    with session_scope() as s:
        profile.end_session(session=s, user=ann, session_id=listed[1].id)
    with session_scope() as s:
        assert sessions.get_session_user(session=s, token=there) is None
        assert sessions.get_session_user(session=s, token=bobs).email == "bob@example.com"
    again = _browser_session(ann.id, "Another")
    with session_scope() as s:
        profile.end_other_sessions(session=s, user=ann, keep_token=here)  # logins under way too
    with session_scope() as s:
        assert sessions.get_session_user(session=s, token=again) is None
        assert sessions.get_session_user(session=s, token=here).email == "ann@example.com"
        assert sessions.get_session_user(session=s, token=bobs) is not None


def test_last_seen_is_written_at_most_once_a_minute(users):
    ann, _ = users
    token = _browser_session(ann.id, "Firefox")
    old = utcnow() - timedelta(minutes=5)
    with session_scope() as s:
        row = s.exec(select(AuthSession).where(AuthSession.user_id == ann.id)).one()
        row.last_seen_at = old
        s.add(row)
    with session_scope() as s:
        profile.mark_seen(session=s, token=token)
    with session_scope() as s:
        first = s.exec(select(AuthSession.last_seen_at)).one()
    assert first > old + timedelta(minutes=4)
    with session_scope() as s:
        profile.mark_seen(session=s, token=token)
    with session_scope() as s:
        assert s.exec(select(AuthSession.last_seen_at)).one() == first


def test_devices_are_named_in_words():
    chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0"
    assert profile.device_label(chrome) == "Chrome on Linux"
    assert profile.device_label("Mozilla/5.0 (Windows NT 10.0; rv:120.0) Firefox/120.0") == (
        "Firefox on Windows"
    )
    assert profile.device_label("curl/8.0") == "curl/8.0"
    assert profile.device_label("") == "Unknown browser"
    assert len(profile.device_label("x" * 255)) == 61
