"""The sandbox sends webhooks as Twilio does: signed over the URL without its fragment,
and retried as the fragment's connection overrides say (Twilio's default: once, and
only when the connection fails), so a 503 from our app really gets a retry."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from tests.live_server import LiveServer
from twilio_sandbox import phone_line

TOKEN = "f" * 32


def _flaky_app(failures: int, seen: list):
    async def hook(request):
        form = dict(await request.form())
        seen.append((str(request.url), request.headers.get("x-twilio-signature"), form))
        return Response(status_code=503 if len(seen) <= failures else 204)

    return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


def test_overrides_retry_5xx_and_the_signature_covers_the_url_as_configured():
    """The sandbox signs the form our own tests do not (fragment included), so both
    forms of a registered URL stay covered (tests/api/test_webhook_signatures.py)."""
    seen: list = []
    with LiveServer(_flaky_app(2, seen)) as server:
        url = f"{server.url}/hook?kind=x#rc=3&rp=5xx,ct,rt"
        response = phone_line.post(url, {"CallSid": "CA1"}, TOKEN)
    assert response.status_code == 204 and len(seen) == 3
    assert all(s[1] == phone_line.signature(TOKEN, url, {"CallSid": "CA1"}) for s in seen)


def test_without_overrides_a_5xx_is_not_retried():
    seen: list = []
    with LiveServer(_flaky_app(1, seen)) as server:
        response = phone_line.post(f"{server.url}/hook", {"CallSid": "CA1"}, TOKEN)
    assert response.status_code == 503 and len(seen) == 1


def test_retries_stop_at_the_count():
    seen: list = []
    with LiveServer(_flaky_app(10, seen)) as server:
        response = phone_line.post(f"{server.url}/hook#rc=2&rp=5xx", {"CallSid": "CA1"}, TOKEN)
    assert response.status_code == 503 and len(seen) == 3
