"""Keys pressed in a simulated call, chosen ahead so a test decides them: the caller's
presses are queued when the call comes in (the IncomingCalls door's `Keypresses`: one
entry per <Gather>, comma-separated, an empty entry presses nothing); a forwarded call's
callee answers a whisper by its number, in the spirit of `phone_line.far_end_for`."""

from __future__ import annotations

import threading
from urllib.parse import urljoin

from twilio_sandbox import calls_store as store

NEVER_PRESSES, PRESSES_TWO = "0104", "0105"  # …0104 lets the whisper time out; …0105 presses 2
_queued: dict[str, list[str]] = {}
_lock = threading.Lock()


def queue_keypresses(sid: str, keypresses: str) -> None:
    entries = [
        "".join(c for c in entry if c in "0123456789*#")[:20] for entry in keypresses.split(",")
    ]
    with _lock:
        _queued[sid] = entries[:20]


def next_caller_keys(sid: str) -> str:
    """What the caller presses at this <Gather> ("" once the queue is used up)."""
    with _lock:
        entries = _queued.get(sid) or []
        return entries.pop(0) if entries else ""


def callee_keys(number: str) -> str:
    """What someone we forward to presses when screened: 1, unless their number says."""
    tail = number[-4:]
    if tail == NEVER_PRESSES:
        return ""
    return "2" if tail == PRESSES_TWO else "1"


def gather(*, call, verb, keys: str, base: str, params: dict, token: str):
    """Carry out <Gather>: the nested prompts play, then the keys are sent. Returns the
    TwiML elements Twilio would go on with after posting the action (Digits and
    FinishedOnKey), or None when nothing was pressed (the next verb follows)."""
    from twilio_sandbox.simulator import fetch_twiml  # a cycle: the simulator plays us

    clock = store.clock(call.sid)
    for _prompt in verb.findall("Say"):
        clock.wait(1)
    if clock.hung_up.is_set():
        return []
    finish = verb.get("finishOnKey", "#")
    limit = int(verb.get("numDigits", "0") or 0)
    pressed, finished_on = "", ""
    for key in keys:
        if finish and key in finish:
            finished_on = key
            break
        pressed += key
        if limit and len(pressed) >= limit:
            break
    if not pressed and not finished_on:
        clock.wait(int(verb.get("timeout", "5")))
        return None
    action = urljoin(base, verb.get("action") or base)
    follow = dict(params, Digits=pressed, FinishedOnKey=finished_on)
    return list(fetch_twiml(action, follow, token))
