"""The browser's session cookie: a one-time code from the login form becomes an HttpOnly
cookie set by an HTTP response, once; logging out revokes it and clears it."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlmodel import select

from callplatform import config
from callplatform.accounts import auth, sessions
from callplatform.db import session_scope
from callplatform.models import AuthSession
from callplatform.models.base import utcnow

PASSWORD = "correct horse battery"


def _code(email: str = "ann@example.com") -> str:
    with session_scope() as s:
        if auth.get_user_by_email(session=s, email=email) is None:
            auth.create_user(session=s, email=email, password=PASSWORD)
    with session_scope() as s:
        return auth.begin_browser_login(session=s, email=email, password=PASSWORD, client="t")


def _user_of(token: str | None):
    with session_scope() as s:
        user = sessions.get_session_user(session=s, token=token)
        return user.email if user else None


def _establish(base: str, code: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{base}{sessions.ESTABLISH_PATH}", params={"code": code}, headers=headers)


def test_a_code_becomes_an_http_only_cookie_once(sqlite_db, live_api):
    code = _code()
    response = _establish(live_api, code, **{"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{sessions.SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here
    token = response.cookies[sessions.SESSION_COOKIE]
    assert token != code and _user_of(token) == "ann@example.com"
    assert _user_of(code) is None  # the code is spent
    again = _establish(live_api, code)
    assert again.status_code == 403 and "set-cookie" not in again.headers


def test_refused_codes(sqlite_db, live_api):
    code = _code()
    # Another site's link or page carrying someone's code signs nobody in.
    for site in ("cross-site", "same-site", "none"):
        assert _establish(live_api, code, **{"Sec-Fetch-Site": site}).status_code == 403
    with session_scope() as s:
        row = s.exec(select(AuthSession)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        s.add(row)
    assert _establish(live_api, code).status_code == 403  # expired
    with session_scope() as s:
        real = auth.login(session=s, email="ann@example.com", password=PASSWORD, client="t")
    assert _establish(live_api, real.token).status_code == 403  # a session is not a code
    assert _user_of(real.token) == "ann@example.com"


def test_the_cookie_is_secure_when_served_over_https(sqlite_db, live_api, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://calls.example.com")
    config.reset_settings()
    try:
        assert "Secure" in _establish(live_api, _code()).headers["set-cookie"]
    finally:
        monkeypatch.delenv("PUBLIC_BASE_URL")
        config.reset_settings()


def test_logging_out_revokes_and_clears_the_cookie(sqlite_db, live_api):
    token = _establish(live_api, _code()).cookies[sessions.SESSION_COOKIE]
    media = f"{live_api}/api/voice/token"
    assert httpx.get(media, cookies={sessions.SESSION_COOKIE: token}).status_code != 401
    response = httpx.post(f"{live_api}{sessions.END_PATH}", cookies={"cp_session": token})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    cleared = response.headers["set-cookie"]
    assert cleared.startswith(f'{sessions.SESSION_COOKIE}=""') and "Max-Age=0" in cleared
    assert _user_of(token) is None
    assert httpx.get(media, cookies={sessions.SESSION_COOKIE: token}).status_code == 401
    assert httpx.post(f"{live_api}{sessions.END_PATH}").status_code == 401  # no session
    assert httpx.get(f"{live_api}{sessions.END_PATH}").status_code == 405  # no link logs out


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("", ""),
        ("cp_session=abc", "abc"),
        ("theme=dark; cp_session=abc; other=1", "abc"),
        ('cp_session="abc"', "abc"),
        ("xcp_session=abc", ""),
    ],
)
def test_the_token_is_read_from_a_cookie_header(header, token):
    assert sessions.token_from_cookie_header(header) == token


@pytest.mark.parametrize(
    ("next_path", "lands"),
    [
        ("/calls/2", "/calls/2"),
        ("/calls?status=missed", "/calls?status=missed"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/api/session/end", "/"),
        ("/login", "/"),
        ("/calls/\n2", "/"),
        ("", "/"),
    ],
)
def test_the_login_goes_on_to_our_own_page_only(sqlite_db, live_api, next_path, lands):
    response = httpx.get(
        f"{live_api}{sessions.ESTABLISH_PATH}",
        params={"code": _code(), "next": next_path},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 303 and response.headers["location"] == lands
