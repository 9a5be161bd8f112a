"""A Twilio that fails on demand: a real HTTP server on loopback, in front of the app's
built-in sandbox. Requests pass through to the sandbox until a test scripts a failure
for some of them; then they are answered the way Twilio answers when things go wrong:
its JSON error body with a code (`{"code", "message", "more_info", "status"}`), an
HTML 5xx from a proxy, a `Retry-After`, or no answer in time (held past the client's
timeout, and then passed on, as a slow Twilio would still do the work). The app reaches
it through its ordinary TWILIO_API_BASE_URL setting: no hook in the app.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

from tests.twilio_proxy import Answer, TwilioProxy


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


class FailingTwilio(TwilioProxy):
    def __init__(self, upstream_port: int) -> None:
        super().__init__(upstream_port)
        self.failures: list[Failure] = []
        self.seen: list[tuple[str, str]] = []  # (method, path) of every request
        self.passed_on = threading.Event()  # set whenever a held request reached the sandbox

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

    def answer(self, method: str, path: str, headers: dict, body: bytes) -> Answer:
        self.seen.append((method, path))
        failure = next((f for f in self.failures if f.matches(method, path)), None)
        if failure is None:
            return self.pass_on(method, path, headers, body)
        time.sleep(failure.hold_seconds)
        if failure.then_pass_on:
            answer = self.pass_on(method, path, headers, body)
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
