"""Service tests that reach Twilio do so through the real SDK, over HTTP, to the
built-in sandbox served on a loopback port."""

from __future__ import annotations

import pytest

from callplatform import config
from callplatform.api.app import build_api
from callplatform.services import pricing
from callplatform.telephony import client
from tests.live_server import LiveServer


@pytest.fixture(scope="session")
def live_api():
    with LiveServer(build_api()) as server:
        yield server.url


@pytest.fixture
def telephony(db_url, live_api, monkeypatch):
    """A database (SQLite, then PostgreSQL) and the sandbox playing Twilio."""
    monkeypatch.setenv("TWILIO_API_BASE_URL", f"{live_api}/_sandbox/twilio")
    monkeypatch.setenv("PUBLIC_BASE_URL", live_api)
    config.reset_settings()
    client.clear_client_cache()
    pricing.clear_cache()
    yield live_api
    client.clear_client_cache()
