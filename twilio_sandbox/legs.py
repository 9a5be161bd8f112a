"""A call that was moved (Twilio's call update with `Twiml` or `Url`) runs its new TwiML:
a parent call in its own loop (`simulator`), a bridged child leg here, on a thread of its
own, as the Dial it was part of ends. The verbs a moved leg may meet: Say, Pause, Play,
Redirect, Hangup and <Dial><Conference>."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from twilio_sandbox import calls_store as store

APP_ERROR = "<Response><Say>An application error has occurred.</Say></Response>"
FOREVER_SECONDS = 4 * 3600  # <Play loop="0">: until something interrupts it


def parse(body: str) -> ET.Element:
    if "<!DOCTYPE" in body or "<!ENTITY" in body:  # no entity tricks
        body = APP_ERROR
    try:
        return ET.fromstring(body)  # noqa: S314 - DTDs refused above
    except ET.ParseError:
        return ET.fromstring(APP_ERROR)  # noqa: S314 - a constant


def redirected(clock, *, url: str, params: dict, token: str) -> tuple[str, list]:
    """(document URL, verbs) of the TwiML the call was moved to."""
    from twilio_sandbox.simulator import fetch_twiml  # a cycle: the simulator plays us

    taken = clock.take_redirect()
    if taken is None:
        return url, []
    kind, value = taken
    if kind == "twiml":
        return url, list(parse(value))
    return value, list(fetch_twiml(value, params, token))


def play(clock, verb) -> int:
    """<Play>: a clip of a few seconds, `loop` times (0: until interrupted)."""
    loops = int(verb.get("loop", "1") or 1)
    seconds = FOREVER_SECONDS if loops == 0 else 3 * loops
    return 0 if not clock.wait(seconds) else seconds


def carry_on(leg, *, params: dict, token: str, finish) -> None:
    """The moved child `leg` runs its new TwiML on its own thread; `finish(seconds)` is
    called with the seconds it stayed on once it ends."""

    def run() -> None:
        try:
            finish(_run(leg, params=params, token=token))
        except Exception:  # noqa: BLE001 - a simulated call must never take the server down
            import logging

            logging.getLogger(__name__).exception("sandbox moved leg failed")
            finish(0)

    threading.Thread(target=run, daemon=True).start()


def _run(leg, *, params: dict, token: str) -> int:
    from twilio_sandbox.dialing import dial  # a cycle: dialing hands moved legs to us

    clock, seconds, url, verbs = store.clock(leg.sid), 0, "", []
    while True:
        if clock.moved.is_set():
            url, verbs = redirected(clock, url=url, params=params, token=token)
        if not verbs or clock.hung_up.is_set():
            return seconds
        verb = verbs.pop(0)
        if verb.tag == "Hangup":
            return seconds
        if verb.tag == "Say":
            clock.wait(1)
            seconds += 1
        elif verb.tag == "Pause":
            clock.wait(int(verb.get("length", "1")))
        elif verb.tag == "Play":
            seconds += play(clock, verb)
        elif verb.tag == "Redirect":
            from twilio_sandbox.simulator import fetch_twiml

            url = urljoin(url, (verb.text or "").strip())
            verbs = list(fetch_twiml(url, params, token))
        elif verb.tag == "Dial":
            seconds += dial(call=leg, verb=verb, token=token, base=url).seconds
