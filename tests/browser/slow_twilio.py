"""A slow Twilio on loopback: an HTTP proxy in front of the app's built-in sandbox that
holds each request for `delay_seconds` before passing it on, the way a slow Twilio (or a
slow network) would. The app reaches it through TWILIO_API_BASE_URL, its ordinary
setting for "send Twilio requests elsewhere", so no test hook is needed in the app."""

from __future__ import annotations

import contextlib
import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Hop-by-hop headers belong to one connection; they are not passed on.
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}
UPSTREAM_TIMEOUT_S = 60


class SlowTwilio:
    """Forwards every request to `upstream` (http://host:port), after `delay_seconds`."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.delay_seconds = 0.0
        self.seen: list[tuple[str, str, bytes]] = []  # (method, path, body) of each request
        self._in_flight: list[bytes] = []  # bodies of the requests not answered yet
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def base_url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def has_sent(self, marker: bytes) -> bool:
        """Whether a POST whose body holds `marker` reached us."""
        return any(marker in body for method, _path, body in self.seen if method == "POST")

    def is_holding(self, marker: bytes) -> bool:
        """Whether a request whose body holds `marker` is still waiting for its answer."""
        return any(marker in body for body in list(self._in_flight))

    def __enter__(self) -> SlowTwilio:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _forward(self, method: str, path: str, headers: dict, body: bytes):
        self.seen.append((method, path, body))
        self._in_flight.append(body)
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.upstream_port, timeout=UPSTREAM_TIMEOUT_S
        )
        try:
            if self.delay_seconds:
                time.sleep(self.delay_seconds)
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()
            self._in_flight.remove(body)

    def _handler_class(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                headers["Host"] = f"127.0.0.1:{proxy.upstream_port}"
                try:
                    status, response_headers, data = proxy._forward(
                        self.command, self.path, headers, body
                    )
                except OSError as exc:
                    status, response_headers, data = 502, [], str(exc).encode()
                self.send_response(status)
                for name, value in response_headers:
                    # send_response wrote its own Server and Date; Content-Length is ours.
                    if name.lower() not in HOP_HEADERS | {"content-length", "server", "date"}:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # The app may have given up waiting (its Twilio timeout): nobody to tell.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _any

            def log_message(self, *_args) -> None:  # quiet: pytest shows failures
                pass

        return Handler
