"""Plays Twilio's part in a call: asks the voice URL for TwiML (signed, with Twilio's
parameter names), carries out the verbs the product uses (Say, Dial with Number or
Client, Record, Hangup), and sends status and recording callbacks with SequenceNumber,
durations and prices. Each call runs on its own thread; waits follow SANDBOX_TIME_SCALE."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from twilio_sandbox import calls_store as store
from twilio_sandbox.phone_line import far_end_for, post
from twilio_sandbox.recorder import record_message, send_recording, timestamp

FINAL = {"completed", "busy", "no-answer", "failed", "canceled"}


def start(target, **kwargs) -> None:
    threading.Thread(target=_guarded, args=(target,), kwargs=kwargs, daemon=True).start()


def _guarded(target, **kwargs) -> None:
    try:
        target(**kwargs)
    except Exception:  # noqa: BLE001 - a simulated call must never take the server down
        import logging

        logging.getLogger(__name__).exception("sandbox call simulation failed")


def _base_params(call, token_account: str) -> dict[str, str]:
    return {
        "AccountSid": token_account,
        "CallSid": call.sid,
        "From": call.from_,
        "To": call.to,
        "Caller": call.from_,
        "Called": call.to,
        "ApiVersion": "2010-04-01",
        "Direction": call.direction,
    }


APP_ERROR = "<Response><Say>An application error has occurred.</Say></Response>"


def _fetch_twiml(url: str, params: dict, token: str) -> ET.Element:
    """Our own app's TwiML (the sandbox only ever calls the app's webhook URLs)."""
    response = post(url, params, token)
    body = response.text if response is not None and response.status_code == 200 else APP_ERROR
    if "<!DOCTYPE" in body or "<!ENTITY" in body:  # no entity tricks, even from ourselves
        body = APP_ERROR
    try:
        return ET.fromstring(body)  # noqa: S314 - DTDs refused above
    except ET.ParseError:
        return ET.fromstring(APP_ERROR)  # noqa: S314 - a constant


def run_call(*, call, url: str, params: dict, token: str, status_callback: str | None) -> None:
    """Drive a parent call (browser leg or inbound caller) from its first TwiML."""
    clock = store.clock(call.sid)
    store.set_status(call.sid, "in-progress")
    talked = 0
    verbs = list(_fetch_twiml(url, params, token))
    while verbs:
        verb = verbs.pop(0)
        if verb.tag == "Say":
            clock.wait(1)
        elif verb.tag == "Hangup" or verb.tag == "Reject" or clock.hung_up.is_set():
            break
        elif verb.tag == "Record":
            talked += record_message(call=call, verb=verb, base=url, params=params, token=token)
        elif verb.tag == "Dial":
            result, seconds = _dial(call=call, verb=verb, token=token, parent_params=params)
            talked += seconds
            action = verb.get("action")
            if action:
                follow = dict(params, DialCallStatus=result, DialCallDuration=str(seconds))
                verbs = list(_fetch_twiml(urljoin(url, action), follow, token))
    kind = "client" if call.from_.startswith("client:") else "inbound"
    duration = max(talked, 1)
    store.set_status(call.sid, "completed", duration=duration, kind=kind)
    post(
        status_callback,
        dict(
            params,
            CallStatus="completed",
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


def _dial(*, call, verb, token: str, parent_params: dict) -> tuple[str, int]:
    target = verb.find("Number")
    if target is None:
        target = verb.find("Client")
    if target is None:
        return "failed", 0
    timeout = int(verb.get("timeout", "30"))
    if target.tag == "Client":
        return _ring_client(call=call, verb=verb, timeout=timeout, token=token)
    return _dial_number(call=call, verb=verb, number=target, token=token)


def _ring_client(*, call, verb, timeout: int, token: str) -> tuple[str, int]:
    """Ring the browser until it answers, rejects, or the timeout passes; an answered
    call is recorded when the Dial asks for it."""
    answered, rejected, clock = (
        store.answer_event(call.sid),
        store.reject_event(call.sid),
        store.clock(call.sid),
    )
    for _ in range(timeout * 4):
        if answered.is_set():
            talked = clock.talk(far_end_for(call.from_).talk_seconds)
            _record_if_asked(call=call, verb=verb, seconds=talked, token=token)
            return "completed", talked
        if rejected.is_set() or clock.hung_up.is_set():
            return "busy", 0
        clock.wait(0.25)
    return "no-answer", 0


def _dial_number(*, call, verb, number, token: str) -> tuple[str, int]:
    far = far_end_for(number.text.strip())
    child = store.create_call(
        account_sid=call.account_sid,
        from_=verb.get("callerId", call.from_),
        to=number.text.strip(),
        direction="outbound-dial",
        parent=call.sid,
    )
    clock, callback = store.clock(call.sid), number.get("statusCallback")
    events = set((number.get("statusCallbackEvent") or "completed").split())
    seq = iter(range(100))

    def emit(event: str, status: str, **extra) -> None:
        if not extra:  # final statuses are stamped (duration, price) by the caller
            store.set_status(child.sid, status)
        if event in events:
            params = dict(
                _base_params(child, call.account_sid),
                ParentCallSid=call.sid,
                CallStatus=status,
                SequenceNumber=str(next(seq)),
                Timestamp=timestamp(),
                CallbackSource="call-progress-events",
                **extra,
            )
            post(callback, params, token)

    emit("initiated", "initiated")
    if far.outcome == "failed":
        store.set_status(child.sid, "failed", duration=0, kind="outbound")
        emit("completed", "failed", CallDuration="0", Duration="0")
        return "failed", 0
    emit("ringing", "ringing")
    if not clock.wait(far.ring_seconds) or far.outcome != "completed":
        status = far.outcome if far.outcome != "completed" else "canceled"
        store.set_status(child.sid, status, duration=0, kind="outbound")
        emit("completed", status, CallDuration="0", Duration="0")
        return status, 0
    emit("answered", "in-progress")
    if number.get("url"):  # the whisper Twilio plays to the called party first
        post(
            number.get("url"),
            dict(_base_params(child, call.account_sid), CallStatus="in-progress"),
            token,
        )
    talked = clock.talk(far.talk_seconds)
    store.set_status(child.sid, "completed", duration=talked, kind="outbound")
    emit("completed", "completed", CallDuration=str(talked), Duration=str(max(1, talked // 60)))
    _record_if_asked(call=call, verb=verb, seconds=talked, token=token)
    return "completed", talked


def _record_if_asked(*, call, verb, seconds: int, token: str) -> None:
    if verb.get("record", "do-not-record") != "do-not-record":
        send_recording(
            call=call, seconds=seconds, url=verb.get("recordingStatusCallback"), token=token
        )
