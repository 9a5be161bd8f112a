"""A small HTTP server on loopback that plays the app's webhooks for sandbox tests: it
keeps every POST (path, form, signature) and answers with a TwiML body if given one."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from twilio.request_validator import RequestValidator


@dataclass(frozen=True)
class Received:
    path: str
    form: dict[str, str]
    signature: str


class WebhookReceiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answers: dict[str, str] = {}  # path -> TwiML to answer with
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def at(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.path == path]

    def wait_for(self, path: str, count: int, timeout: float = 10) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.at(path)
            if len(got) >= count:
                return got
            time.sleep(0.02)
        raise AssertionError(f"{path}: {len(self.at(path))} requests, wanted {count}")

    def signed_by(self, token: str, request: Received) -> bool:
        """Checked with the official SDK's validator, as the app would check it."""
        return RequestValidator(token).validate(
            self.url + request.path, request.form, request.signature
        )

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                with receiver._lock:
                    receiver.received.append(
                        Received(self.path, form, self.headers.get("X-Twilio-Signature", ""))
                    )
                    twiml = receiver.answers.get(self.path, "<Response/>")
                body = twiml.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        return Handler
