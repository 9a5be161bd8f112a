"""A Twilio that fails on demand: a real HTTP server on loopback, in front of the app's
built-in sandbox. Requests pass through to the sandbox until a test scripts a failure
for some of them; then they are answered the way Twilio answers when things go wrong:
its JSON error body with a code (`{"code", "message", "more_info", "status"}`), an
HTML 5xx from a proxy, a `Retry-After`, or no answer in time (held past the client's
timeout, and then passed on, as a slow Twilio would still do the work). The app reaches
it through its ordinary TWILIO_API_BASE_URL setting: no hook in the app.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}


@dataclass
class Failure:
    """How to answer requests whose method and path match."""

    method: str | None  # None: any method
    path_contains: str
    status: int = 500
    code: int | None = None  # a Twilio error code: answer with Twilio's JSON error body
    body: str | None = None  # else this raw body (HTML from a proxy, garbage)
    headers: dict[str, str] = field(default_factory=dict)
    hold_seconds: float = 0.0  # answer (or pass on) only after this long
    then_pass_on: bool = False  # after holding, let the sandbox do the work anyway

    def matches(self, method: str, path: str) -> bool:
        return (self.method in (None, method)) and self.path_contains in path


class FailingTwilio:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.failures: list[Failure] = []
        self.seen: list[tuple[str, str]] = []  # (method, path) of every request
        self.passed_on = threading.Event()  # set whenever a held request reached the sandbox
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """What TWILIO_API_BASE_URL is set to: the sandbox's mount, through us."""
        return f"http://127.0.0.1:{self.port}/_sandbox/twilio"

    def fail(self, method: str | None, path_contains: str, **how) -> Failure:
        failure = Failure(method=method, path_contains=path_contains, **how)
        self.failures.append(failure)
        return failure

    def heal(self) -> None:
        self.failures.clear()

    def __enter__(self) -> FailingTwilio:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, method: str, path: str, headers: dict, body: bytes):
        self.seen.append((method, path))
        failure = next((f for f in self.failures if f.matches(method, path)), None)
        if failure is None:
            return self._pass_on(method, path, headers, body)
        time.sleep(failure.hold_seconds)
        if failure.then_pass_on:
            answer = self._pass_on(method, path, headers, body)
            self.passed_on.set()
            return answer
        if failure.code is not None:
            data = json.dumps(
                {
                    "code": failure.code,
                    "message": f"Twilio says no ({failure.code})",
                    "more_info": f"https://www.twilio.com/docs/errors/{failure.code}",
                    "status": failure.status,
                }
            ).encode()
            kind = "application/json"
        else:
            data, kind = (failure.body or "").encode(), "text/html"
        return failure.status, [("Content-Type", kind), *failure.headers.items()], data

    def _pass_on(self, method: str, path: str, headers: dict, body: bytes):
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def _handler_class(self):
        twilio = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                headers["Host"] = f"127.0.0.1:{twilio.upstream_port}"
                status, answer_headers, data = twilio._answer(
                    self.command, self.path, headers, body
                )
                try:
                    self.send_response(status)
                    for name, value in answer_headers:
                        if name.lower() not in HOP_HEADERS | {"content-length", "server", "date"}:
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up waiting (a timeout test): nobody to answer

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _any

            def log_message(self, *_args) -> None:  # quiet: pytest shows failures
                pass

        return Handler
