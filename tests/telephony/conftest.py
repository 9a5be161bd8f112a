"""A tiny real HTTP server standing in for Twilio, and settings that point the SDK at it.

Tests script its answers per (method, path) and read back what it received, so the
whole path - gateway, SDK, our HTTP client, the network - runs for real.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from callplatform import config
from callplatform.telephony.client import clear_client_cache
from callplatform.telephony.types import AccountCredentials

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "unit-test-auth-token"


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class FakeTwilio:
    """What the server received, and what it answers: (method, path) -> (status, body)."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: dict[tuple[str, str], tuple[int, object]] = field(default_factory=dict)
    delay: float = 0.0

    def answer(self, method: str, path: str, status: int, body: object = None) -> None:
        self.answers[(method, path)] = (status, body)


def _handler(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            fake.received.append(
                Received(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    form=parse_qs(body),
                    headers=dict(self.headers),
                )
            )
            if fake.delay:
                threading.Event().wait(fake.delay)
            status, payload = fake.answers.get((self.command, parts.path), (404, {"code": 20404}))
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

    return Handler


@pytest.fixture
def fake_twilio(monkeypatch):
    """A FakeTwilio on 127.0.0.1 with the gateway pointed at `<server>/fake-prefix`."""
    fake = FakeTwilio(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/fake-prefix"
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_API_BASE_URL", fake.url)
    config.reset_settings()
    clear_client_cache()
    yield fake
    server.shutdown()
    server.server_close()
    config.reset_settings()
    clear_client_cache()


@pytest.fixture
def creds() -> AccountCredentials:
    return AccountCredentials(sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
