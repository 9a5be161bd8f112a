"""The far end of a simulated call, chosen from the dialled number (in the spirit of
Twilio's magic test numbers) so tests and demos pick outcomes, plus the webhook requests
the sandbox sends, signed exactly as Twilio signs them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

import httpx

from twilio_sandbox import settings

BUSY, NO_ANSWER, FAILED = "0101", "0102", "0103"
LONG_TALKER, LONG_TALK_SECONDS = "0199", 900  # stays on the line: hold and transfer demos
POLL_SECONDS = 0.01  # how often a wait looks at a second call's switches
CALLER_MESSAGE_SECONDS = 8
_http = httpx.Client(timeout=10)


@dataclass(frozen=True)
class FarEnd:
    outcome: str  # completed | busy | no-answer | failed
    ring_seconds: int
    talk_seconds: int


def far_end_for(number: str) -> FarEnd:
    """…0101 is busy, …0102 never answers, …0103 fails, …0199 talks for 15 minutes;
    anything else answers and talks for 5-24 seconds (by its last two digits)."""
    tail = number[-4:]
    if tail == LONG_TALKER:
        return FarEnd("completed", 2, LONG_TALK_SECONDS)
    if tail == BUSY:
        return FarEnd("busy", 1, 0)
    if tail == NO_ANSWER:
        return FarEnd("no-answer", 6, 0)
    if tail == FAILED:
        return FarEnd("failed", 0, 0)
    digits = int(tail[-2:]) if tail[-2:].isdigit() else 0
    return FarEnd("completed", 2, 5 + digits % 20)


def signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    payload = url + "".join(k + params[k] for k in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _overrides(fragment: str) -> tuple[int, set[str]]:
    """Twilio's connection overrides (`#rc=3&rp=5xx,ct`): retries and what to retry.
    Twilio's defaults are one retry, on connection failures only."""
    values = dict(parse_qsl(fragment))
    try:
        retries = min(max(int(values.get("rc", "1")), 0), 5)
    except ValueError:
        retries = 1
    return retries, set(values.get("rp", "ct").split(","))


def post(url: str | None, params: dict[str, str], auth_token: str) -> httpx.Response | None:
    """POST a webhook as Twilio would, retried as the fragment's connection overrides
    ask. Signed over the URL as configured, fragment included, as an independent Twilio
    emulator does (our tests sign the fragment-less form, so both stay covered)."""
    if not url:
        return None
    headers = {"X-Twilio-Signature": signature(auth_token, url, params)}
    url, _, fragment = url.partition("#")
    retries, policy = _overrides(fragment)
    response = None
    for _ in range(1 + retries):
        try:
            response = _http.post(url, data=params, headers=headers)
        except httpx.TimeoutException:
            if not policy & {"rt", "all"}:
                return None
            continue
        except httpx.HTTPError:
            if not policy & {"ct", "all"}:
                return None
            continue
        if response.status_code < 500 or not policy & {"5xx", "all"}:
            return response
    return response


class Clock:
    """Waits scaled by SANDBOX_TIME_SCALE, cut short when the call is hung up or moved
    (Twilio's call update with new `Twiml` or `Url`: the call leaves what it is doing and
    runs that instead)."""

    def __init__(self) -> None:
        self.hung_up = threading.Event()
        self.moved = threading.Event()
        self._next: tuple[str, str] | None = None  # ("twiml" | "url", value)
        self._lock = threading.Lock()

    def hang_up(self) -> None:
        self.hung_up.set()

    def redirect(self, kind: str, value: str) -> None:
        with self._lock:
            self._next = (kind, value)
        self.moved.set()

    def take_redirect(self) -> tuple[str, str] | None:
        """The TwiML the call was moved to (once), the switch cleared."""
        with self._lock:
            taken, self._next = self._next, None
            self.moved.clear()
        return taken

    def interrupted(self) -> bool:
        return self.hung_up.is_set() or self.moved.is_set()

    def wait(self, seconds: float, *, also: Clock | None = None) -> bool:
        """True if the full time passed, False if a hang-up or a move (of this call, or of
        `also`: the other leg of a bridge) cut it short."""
        if also is None and not self.moved.is_set():
            deadline = time.monotonic() + seconds * settings.time_scale()
            while not self.hung_up.wait(max(0.0, min(deadline - time.monotonic(), 0.05))):
                if self.moved.is_set():
                    return False
                if time.monotonic() >= deadline:
                    return True
            return False
        deadline = time.monotonic() + seconds * settings.time_scale()
        while time.monotonic() < deadline:
            if self.interrupted() or (also is not None and also.interrupted()):
                return False
            time.sleep(POLL_SECONDS)
        return not (self.interrupted() or (also is not None and also.interrupted()))

    def talk(self, seconds: int, *, also: Clock | None = None) -> int:
        """Talk for up to `seconds`; the whole seconds actually talked (at least one, as
        Twilio reports a connected call), shorter when a hang-up or move cuts it short."""
        scale = settings.time_scale()
        started = time.monotonic()
        if self.wait(seconds, also=also):
            return max(seconds, 1)
        return min(seconds, max(1, round((time.monotonic() - started) / scale)))
