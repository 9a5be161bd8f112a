"""A slow Twilio on loopback: a proxy in front of the app's built-in sandbox that holds
each request for `delay_seconds` before passing it on, the way a slow Twilio (or a slow
network) would."""

from __future__ import annotations

import time

from tests.twilio_proxy import Answer, TwilioProxy


class SlowTwilio(TwilioProxy):
    """Forwards every request to the sandbox, after `delay_seconds`."""

    def __init__(self, upstream_port: int) -> None:
        super().__init__(upstream_port)
        self.delay_seconds = 0.0
        self.seen: list[tuple[str, str, bytes]] = []  # (method, path, body) of each request
        self._in_flight: list[bytes] = []  # bodies of the requests not answered yet

    def base_url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def has_sent(self, marker: bytes) -> bool:
        """Whether a POST whose body holds `marker` reached us."""
        return any(marker in body for method, _path, body in self.seen if method == "POST")

    def is_holding(self, marker: bytes) -> bool:
        """Whether a request whose body holds `marker` is still waiting for its answer."""
        return any(marker in body for body in list(self._in_flight))

    def answer(self, method: str, path: str, headers: dict, body: bytes) -> Answer:
        self.seen.append((method, path, body))
        self._in_flight.append(body)
        try:
            if self.delay_seconds:
                time.sleep(self.delay_seconds)
            return self.pass_on(method, path, headers, body)
        except OSError as exc:
            return 502, [], str(exc).encode()
        finally:
            self._in_flight.remove(body)
