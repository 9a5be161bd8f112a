"""Plays Twilio's part in a call: asks the voice URL for TwiML (signed, with Twilio's
parameter names), carries out the verbs (Say, Pause, Play, Gather, Dial with Number,
Client or Conference, Record, Redirect, Reject, Hangup; a call update's new TwiML),
and sends status and recording callbacks with SequenceNumber, durations and prices.
Each call runs on its own thread; waits follow SANDBOX_TIME_SCALE. Dialing is in
`dialing`, keys pressed in `keypad`."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from twilio_sandbox import calls_store as store
from twilio_sandbox import keypad, legs
from twilio_sandbox.dialing import base_params, dial
from twilio_sandbox.phone_line import far_end_for, post
from twilio_sandbox.recorder import record_message, timestamp

FINAL = {"completed", "busy", "no-answer", "failed", "canceled"}
MAX_DOCUMENTS = 50  # TwiML documents one call follows (Redirect loops end the call)
_base_params = base_params  # the doors in routes_calls build a call's first parameters


def start(target, **kwargs) -> None:
    threading.Thread(target=_guarded, args=(target,), kwargs=kwargs, daemon=True).start()


def _guarded(target, **kwargs) -> None:
    try:
        target(**kwargs)
    except Exception:  # noqa: BLE001 - a simulated call must never take the server down
        import logging

        logging.getLogger(__name__).exception("sandbox call simulation failed")


APP_ERROR = "<Response><Say>An application error has occurred.</Say></Response>"


def fetch_twiml(url: str, params: dict, token: str) -> ET.Element:
    """Our own app's TwiML (the sandbox only ever calls the app's webhook URLs)."""
    response = post(url, params, token)
    body = response.text if response is not None and response.status_code == 200 else APP_ERROR
    if "<!DOCTYPE" in body or "<!ENTITY" in body:  # no entity tricks, even from ourselves
        body = APP_ERROR
    try:
        return ET.fromstring(body)  # noqa: S314 - DTDs refused above
    except ET.ParseError:
        return ET.fromstring(APP_ERROR)  # noqa: S314 - a constant


_fetch_twiml = fetch_twiml


def _rejected_status(verb) -> str:
    """<Reject> as the first verb: never answered, never billed; busy or no-answer as its
    reason says (Twilio's documentation)."""
    return "busy" if verb.get("reason") == "busy" else "no-answer"


def run_call(*, call, url: str, params: dict, token: str, status_callback: str | None) -> None:
    """Drive a parent call (browser leg or inbound caller) from its first TwiML."""
    clock = store.clock(call.sid)
    store.set_status(call.sid, "in-progress")
    talked, documents, final = 0, 1, "completed"
    verbs = list(fetch_twiml(url, params, token))
    first = True
    while verbs or clock.moved.is_set():
        if clock.moved.is_set() and not clock.hung_up.is_set():  # updated with new TwiML
            url, verbs = legs.redirected(clock, url=url, params=params, token=token)
            continue
        if not verbs:
            break
        verb = verbs.pop(0)
        if clock.hung_up.is_set() or verb.tag == "Hangup":
            break
        if verb.tag == "Reject":
            final = _rejected_status(verb) if first else "completed"
            break
        first = False
        follow, follow_params = None, params
        if verb.tag == "Say":
            clock.wait(1)
        elif verb.tag == "Pause":
            clock.wait(int(verb.get("length", "1")))
        elif verb.tag == "Play":
            talked += legs.play(clock, verb)
        elif verb.tag == "Record":
            talked += record_message(call=call, verb=verb, base=url, params=params, token=token)
        elif verb.tag == "Gather":
            keys = keypad.next_caller_keys(call.sid)
            after = keypad.gather(call=call, verb=verb, keys=keys, base=url, params=params,
                                  token=token)  # fmt: skip
            if after is not None:
                url, verbs, documents = (
                    urljoin(url, verb.get("action") or url),
                    after,
                    documents + 1,
                )
        elif verb.tag == "Redirect":
            follow = (verb.text or "").strip()
        elif verb.tag == "Dial":
            result = dial(call=call, verb=verb, token=token, base=url)
            talked += result.seconds
            if verb.get("action"):
                follow, follow_params = verb.get("action"), dict(params, **result.action_params())
        if follow:
            if documents >= MAX_DOCUMENTS:
                break
            url, documents = urljoin(url, follow), documents + 1
            verbs = list(fetch_twiml(url, follow_params, token))
    kind = "client" if call.from_.startswith("client:") else "inbound"
    duration = max(talked, 1) if final == "completed" else 0
    store.set_status(call.sid, final, duration=duration, kind=kind)
    post(
        status_callback,
        dict(
            params,
            CallStatus=final,
            CallDuration=str(duration),
            SequenceNumber="0",
            Timestamp=timestamp(),
        ),
        token,
    )


def run_api_call(*, call, url: str, params: dict, token: str, status_callback: str | None):
    """A call placed through the REST API (click-to-call rings the user's own phone):
    its far end must answer before Twilio fetches the TwiML, so a busy, unanswered or
    failing phone ends the call there, as its status callback says."""
    far = far_end_for(call.to)
    if far.outcome == "completed":
        run_call(call=call, url=url, params=params, token=token, status_callback=status_callback)
        return
    store.clock(call.sid).wait(far.ring_seconds)
    store.set_status(call.sid, far.outcome, duration=0, kind="outbound")
    final = dict(params, CallStatus=far.outcome, CallDuration="0", SequenceNumber="0")
    post(status_callback, dict(final, Timestamp=timestamp()), token)
