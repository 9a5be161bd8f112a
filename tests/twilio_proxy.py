"""A stand-in for Twilio on loopback: an HTTP server in front of the app's built-in
sandbox that passes requests on unless a subclass answers them otherwise (slower, or
failing the way Twilio fails). The app reaches it through its ordinary
TWILIO_API_BASE_URL setting, so no test hook is needed in the app."""

from __future__ import annotations

import contextlib
import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Hop-by-hop headers belong to one connection; they are not passed on.
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}
UPSTREAM_TIMEOUT_S = 60

Answer = tuple[int, list[tuple[str, str]], bytes]


class TwilioProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, method: str, path: str, headers: dict, body: bytes) -> Answer:
        """How a request is answered: passed on to the sandbox, unless overridden."""
        return self.pass_on(method, path, headers, body)

    def pass_on(self, method: str, path: str, headers: dict, body: bytes) -> Answer:
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.upstream_port, timeout=UPSTREAM_TIMEOUT_S
        )
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def _handler_class(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                headers["Host"] = f"127.0.0.1:{proxy.upstream_port}"
                status, answer_headers, data = proxy.answer(self.command, self.path, headers, body)
                # The app may have given up waiting (its Twilio timeout): nobody to tell.
                with contextlib.suppress(OSError):
                    self.send_response(status)
                    for name, value in answer_headers:
                        # send_response wrote its own Server and Date; Content-Length is ours.
                        if name.lower() not in HOP_HEADERS | {"content-length", "server", "date"}:
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _any

            def log_message(self, *_args) -> None:  # quiet: pytest shows failures
                pass

        return Handler
