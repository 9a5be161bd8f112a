"""Bounded request bodies and security headers, over real HTTP to the app's front door
(`with_fast_paths(build_api())`, as the production app wraps it)."""

from __future__ import annotations

import socket

import httpx
import pytest

from callplatform import config
from callplatform.api.guards import MAX_BODY, MAX_WEBHOOK_BODY, Guards
from callplatform.common import webhook_urls
from tests.live_server import LiveServer

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def chunks(total: int, size: int = 8192):
    sent = 0
    while sent < total:
        part = min(size, total - sent)
        sent += part
        yield b"a" * part


@pytest.mark.parametrize("path", [webhook_urls.STATUS_PATH, webhook_urls.VOICE_PATH])
def test_a_webhook_body_over_64_kib_is_refused_unread(live_api, path):
    response = httpx.post(f"{live_api}{path}", content=b"a" * (65 * 1024), headers=FORM)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    at_the_cap = httpx.post(f"{live_api}{path}", content=b"a" * MAX_WEBHOOK_BODY, headers=FORM)
    assert at_the_cap.status_code == 403  # read, and refused for its missing signature


@pytest.mark.parametrize("path", [webhook_urls.STATUS_PATH, webhook_urls.RECORDING_PATH])
def test_a_chunked_webhook_body_is_cut_off_past_the_cap(live_api, path):
    response = httpx.post(
        f"{live_api}{path}", content=chunks(MAX_WEBHOOK_BODY + 16 * 1024), headers=FORM
    )
    assert "content-length" not in response.request.headers  # streamed, length unknown
    assert response.status_code == 413


def test_an_api_body_over_1_mib_is_refused(live_api):
    url = f"{live_api}/api/auth/token"
    headers = {"Content-Type": "application/json"}
    assert httpx.post(url, content=b" " * (MAX_BODY + 1), headers=headers).status_code == 413
    chunked = httpx.post(url, content=chunks(MAX_BODY + 64 * 1024), headers=headers)
    assert chunked.status_code == 413
    at_the_cap = httpx.post(url, content=b" " * MAX_BODY, headers=headers)
    assert at_the_cap.status_code == 422  # read, and refused as not JSON


def _stream_raw(url: str, path: str, total: int) -> bytes:
    """POST a chunked body of `total` bytes over a bare socket; what came back."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
        )
        try:
            for part in chunks(total, 64 * 1024):
                sock.sendall(b"%x\r\n%s\r\n" % (len(part), part))
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed while we were still sending
        return sock.recv(65536)


def test_the_app_never_holds_more_than_the_cap_plus_one_chunk():
    seen = []

    async def reads_everything(scope, receive, send):
        while True:
            message = await receive()
            seen.append(len(message.get("body", b"")))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    with LiveServer(Guards(reads_everything)) as server:
        answer = _stream_raw(server.url, "/api/anything", 20 * MAX_BODY)
    assert answer.startswith(b"HTTP/1.1 413")
    assert sum(seen) <= MAX_BODY


def _security_headers_ok(response: httpx.Response) -> None:
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_every_answer_carries_the_security_headers(live_api):
    answers = [
        httpx.get(f"{live_api}/api/health"),
        httpx.get(f"{live_api}/api/nowhere"),
        httpx.post(f"{live_api}{webhook_urls.STATUS_PATH}", data={"CallSid": "CA1"}),
        httpx.post(f"{live_api}{webhook_urls.SMS_PATH}", content=b"a" * (MAX_WEBHOOK_BODY + 1)),
    ]
    assert [a.status_code for a in answers] == [200, 404, 403, 413]
    for answer in answers:
        _security_headers_ok(answer)
        assert "strict-transport-security" not in answer.headers  # plain http
    # Swagger UI is served from our origin without inline scripts: the docs' policy names
    # no other host and allows no inline script.
    docs = httpx.get(f"{live_api}/api/docs").headers["content-security-policy"]
    assert "frame-ancestors 'none'" in docs and "script-src 'self';" in docs
    assert "http" not in docs and "unsafe-eval" not in docs


@pytest.fixture
def settings_env(monkeypatch):
    def set_env(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        config.reset_settings()

    yield set_env
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    config.reset_settings()


def test_strict_transport_security_only_over_https(live_api, settings_env):
    forwarded = {"X-Forwarded-Proto": "https"}
    health = f"{live_api}/api/health"
    assert "strict-transport-security" not in httpx.get(health, headers=forwarded).headers
    settings_env(TRUSTED_PROXIES="127.0.0.1")  # now that header comes from our proxy
    assert "max-age=" in httpx.get(health, headers=forwarded).headers["strict-transport-security"]
    assert "strict-transport-security" not in httpx.get(health).headers
    settings_env(TRUSTED_PROXIES="", PUBLIC_BASE_URL="https://calls.example.com")
    assert "max-age=" in httpx.get(health).headers["strict-transport-security"]


def test_the_policy_allows_exactly_the_inline_scripts_of_the_build_being_served(
    tmp_path, monkeypatch
):
    import base64
    import hashlib
    import shutil

    from callplatform.api import security_headers

    def build(script: str) -> None:
        shutil.rmtree(tmp_path / "client", ignore_errors=True)
        (tmp_path / "client" / "login").mkdir(parents=True)
        page = f'<script src="/assets/a.js"></script><script>{script}</script>'
        (tmp_path / "client" / "login" / "index.html").write_text(page)

    def allowed(script: str) -> bool:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        return f"'sha256-{digest}'" in security_headers._current_app_policy()

    monkeypatch.setattr(security_headers, "_build_dir", lambda: tmp_path / "client")
    monkeypatch.setattr(security_headers, "RECHECK_SECONDS", 0)
    monkeypatch.setattr(security_headers, "_cached", None)
    build("window.first = 1;")
    assert allowed("window.first = 1;") and not allowed("window.injected = 1;")
    build("window.second = 2;")  # rebuilt while serving
    assert allowed("window.second = 2;") and not allowed("window.first = 1;")
