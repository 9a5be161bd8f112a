"""The app's outermost layer (see `app.with_fast_paths`), in front of everything we
serve: request bodies are capped before anything reads them, and every response gets
the security headers (`security_headers`).

A body declared larger than the cap (Content-Length) is refused before a byte of it is
read. A body that declares no length (chunked) is counted as it streams: once past the
cap the request is answered 413 and whatever the app did with the error is dropped, so
nothing ever holds more than the cap plus one chunk. Twilio's webhooks are a few hundred
bytes of form; the rest of the API takes small JSON bodies.
"""

from __future__ import annotations

import json

from callplatform import client_address
from callplatform.api import security_headers

WEBHOOK_PREFIX = "/api/twilio/"  # click-to-call (POST /api/twilio/call) is tiny JSON too
MAX_WEBHOOK_BODY = 64 * 1024
MAX_BODY = 1024 * 1024
# Texts with pictures (5 MB of them, base64 in the API's JSON) and the page's uploads.
MAX_MEDIA_BODY = 7 * 1024 * 1024
MEDIA_PATHS = ("/api/messages", "/_upload")


class BodyTooLarge(Exception):
    """Raised into the app from `receive` once a streamed body passes the cap."""


def body_limit(path: str) -> int:
    if path.startswith(WEBHOOK_PREFIX):
        return MAX_WEBHOOK_BODY
    return MAX_MEDIA_BODY if path in MEDIA_PATHS else MAX_BODY


def _error(status: int, code: str, message: str) -> tuple[dict, dict]:
    body = json.dumps({"error": {"code": code, "message": message, "field": None}}).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),  # the rest of the body is never read
        ],
    }
    return start, {"type": "http.response.body", "body": body}


def _too_large(limit: int) -> tuple[dict, dict]:
    return _error(413, "payload_too_large", f"The request body is over {limit} bytes.")


class Guards:
    """ASGI middleware: body caps and security headers for every HTTP request."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":  # the websocket caps its own messages; lifespan
            await self.app(scope, receive, send)
            return
        length = proto = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = value
            elif name == b"x-forwarded-proto":
                proto = value.decode("latin-1")
        peer = scope["client"][0] if scope.get("client") else None
        https = client_address.served_over_https(scope.get("scheme", "http"), peer, proto)
        extra = security_headers.headers_for(scope["path"], https)

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                message["headers"] = [
                    *message.get("headers", ()),
                    *(header for header in extra if header[0] not in present),
                ]
            await send(message)

        limit = body_limit(scope["path"])
        if length is not None:
            if not length.isdigit():
                await _answer(send_with_headers, _error(400, "invalid_request", "Bad length."))
            elif int(length) > limit:
                await _answer(send_with_headers, _too_large(limit))
            else:  # the server delivers no more than the declared length
                await self.app(scope, receive, send_with_headers)
            return
        await self._counted(scope, receive, send_with_headers, limit)

    async def _counted(self, scope, receive, send, limit: int) -> None:
        """A body of unknown length: count it as it arrives."""
        received = 0
        exceeded = started = False

        async def counting_receive():
            nonlocal received, exceeded
            if exceeded:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's answer to BodyTooLarge (an error page) is replaced
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await _answer(send, _too_large(limit))


async def _answer(send, messages: tuple[dict, dict]) -> None:
    for message in messages:
        await send(message)
