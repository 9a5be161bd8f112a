"""A <Number url="..."> whisper: once the callee answers, Twilio runs that TwiML on the
callee's leg before connecting (the caller keeps hearing ringing). It may Say, Pause,
Gather and Hangup; a Hangup (or the callee hanging up) means the call is not bridged, and
the caller's Dial ends as completed with DialBridged=false."""

from __future__ import annotations

from urllib.parse import urljoin

from twilio_sandbox import calls_store as store
from twilio_sandbox import keypad

MAX_DOCUMENTS = 5  # whisper documents followed (Gather actions, Redirects)


def screen(*, parent, child, url: str, params: dict, token: str) -> bool:
    """Play the whisper to the callee of `child`; True if the call should be bridged."""
    from twilio_sandbox.simulator import fetch_twiml  # a cycle: the simulator plays us

    clock = store.clock(parent.sid)
    verbs = list(fetch_twiml(url, params, token))
    documents = 1
    while verbs:
        verb = verbs.pop(0)
        if clock.hung_up.is_set() or verb.tag in ("Hangup", "Reject"):
            return False
        if verb.tag == "Say":
            clock.wait(1)
        elif verb.tag == "Pause":
            clock.wait(int(verb.get("length", "1")))
        elif verb.tag in ("Gather", "Redirect") and documents < MAX_DOCUMENTS:
            documents += 1
            if verb.tag == "Redirect":
                url = urljoin(url, (verb.text or "").strip())
                verbs = list(fetch_twiml(url, params, token))
                continue
            keys = keypad.callee_keys(child.to)
            after = keypad.gather(
                call=parent, verb=verb, keys=keys, base=url, params=params, token=token
            )
            if after is not None:
                url = urljoin(url, verb.get("action") or url)
                verbs = after
    return True  # the whisper's TwiML ran out: the two parties are connected
