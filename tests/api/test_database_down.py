"""With the database unreachable (PostgreSQL on a port nobody listens on, or a SQLite
file that can't be opened) the public API answers 503 JSON with Retry-After, on every
kind of route: nothing was done, and the same request can be sent again."""

from __future__ import annotations

import httpx
import pytest

from callplatform import db
from tests.api.public_api import client_for
from tests.conftest import use_database
from tests.helpers import free_port, make_user

ROUTES = [
    ("POST", "/api/auth/token", {"json": {"email": "ann@example.com", "password": "x" * 12}}),
    ("GET", "/api/twilio/my-numbers", {}),
    ("GET", "/api/twilio/calls", {"params": {"search": "415"}}),
    ("GET", "/api/twilio/calls/1", {}),
    ("GET", "/api/twilio/usage", {}),
    ("GET", "/api/twilio/recordings", {}),
    ("PATCH", "/api/twilio/numbers/1", {"json": {"record_calls": True}}),
    ("DELETE", "/api/twilio/numbers/1", {}),
    (
        "POST",
        "/api/twilio/numbers",
        {"json": {"phone_number": "+14155550100"}, "headers": {"Idempotency-Key": "k"}},
    ),
    (
        "POST",
        "/api/twilio/call",
        {"json": {"from_number": "+14155550100", "to": "+12125550123", "my_phone": "+16465550142"}},
    ),
]


@pytest.fixture(params=["postgresql", "sqlite"])
def database_down(request, sqlite_db, live_api, monkeypatch, tmp_path):
    """A signed-in user's bearer token, then the database goes away."""
    make_user("ann@example.com")
    api = client_for(live_api, "ann@example.com")
    token = api.headers["Authorization"]
    api.close()
    if request.param == "postgresql":
        down = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test"
    else:
        down = f"sqlite:///{tmp_path / 'no such folder' / 'gone.db'}"
    use_database(monkeypatch, down)
    yield token
    db.reset_engine()


@pytest.mark.parametrize(("method", "path", "extra"), ROUTES)
def test_database_down_is_503_with_retry_after(database_down, live_api, method, path, extra):
    extra = dict(extra)
    headers = {"Authorization": database_down, **extra.pop("headers", {})}
    answer = httpx.request(method, live_api + path, headers=headers, timeout=20, **extra)
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "5"
    error = answer.json()["error"]
    assert error["code"] == "database_unavailable" and "Try again" in error["message"]
