"""Serves the app's HTTP api (webhooks + the built-in Twilio sandbox) on a real
loopback port inside the test process, so the twilio SDK talks to it over HTTP."""

from __future__ import annotations

import threading
import time

import uvicorn

from tests.helpers import free_port


class LiveServer:
    def __init__(self, app, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # proxy_headers off: like the production server (granian), uvicorn must not
        # rewrite the peer from X-Forwarded-For; the app decides whom to believe.
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            proxy_headers=False,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
