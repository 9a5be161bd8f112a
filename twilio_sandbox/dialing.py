"""<Dial> in a simulated call: ring browser clients (answered or rejected through the
sandbox's device doors) or a phone number (its far end chosen by the number, a whisper
played to it first when the Number has a `url`), with the child call's progress callbacks
and the recording a Dial asks for; or join a <Conference> (`conferences`). A bridged child
leg that is moved (call update) leaves the Dial, which ends completed, and runs its new
TwiML on its own (`legs`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urljoin

from twilio_sandbox import calls_store as store
from twilio_sandbox import conferences, legs, whisper
from twilio_sandbox.phone_line import far_end_for, post
from twilio_sandbox.recorder import send_recording, timestamp


@dataclass(frozen=True)
class DialResult:
    """What Twilio posts to a Dial's action: DialCallStatus, DialCallDuration,
    DialBridged (false when a whisper declined the call) and DialCallSid."""

    status: str
    seconds: int
    bridged: bool = False
    child_sid: str = ""

    def action_params(self) -> dict[str, str]:
        params = {
            "DialCallStatus": self.status,
            "DialCallDuration": str(self.seconds),
            "DialBridged": "true" if self.bridged else "false",
        }
        return dict(params, DialCallSid=self.child_sid) if self.child_sid else params


def base_params(call, token_account: str) -> dict[str, str]:
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


def dial(*, call, verb, token: str, base: str = "") -> DialResult:
    """Carry out <Dial>; `base` is the TwiML document's URL (relative URLs resolve on it)."""
    room = verb.find("Conference")
    if room is not None:
        return _join(call=call, noun=room, token=token, base=base)
    target = verb.find("Number")
    if target is None:
        target = verb.find("Client")
    if target is None:
        return DialResult("failed", 0)
    timeout = int(verb.get("timeout", "30"))
    if target.tag == "Client":
        return _ring_client(call=call, verb=verb, client=target, timeout=timeout, token=token)
    return _dial_number(call=call, verb=verb, number=target, token=token, base=base)


def _join(*, call, noun, token: str, base: str) -> DialResult:
    callback = noun.get("statusCallback")
    conf = conferences.open_conference(
        account_sid=call.account_sid,
        name=(noun.text or "").strip(),
        callback=urljoin(base, callback) if callback else None,
        events=noun.get("statusCallbackEvent", ""),
    )
    seconds = conferences.stay(
        conf_sid=conf.sid,
        call=call,
        token=token,
        deadline=store.deadline(call.sid),
        label=noun.get("participantLabel"),
        muted=noun.get("muted") == "true",
        end_conference_on_exit=noun.get("endConferenceOnExit") == "true",
        start_conference_on_enter=noun.get("startConferenceOnEnter", "true") != "false",
    )
    return DialResult("completed", seconds, bridged=True)


def _end_client_leg(sid: str, talked: int, more: int) -> None:
    store.set_status(sid, "completed", duration=talked + more)


def _ring_client(*, call, verb, client, timeout: int, token: str) -> DialResult:
    """Ring the browser until it answers, rejects, or the timeout passes; an answered
    call is recorded when the Dial asks for it. The answered browser's leg is a child
    call, as at Twilio, and may be moved."""
    answered, rejected, clock = (
        store.answer_event(call.sid),
        store.reject_event(call.sid),
        store.clock(call.sid),
    )
    for _ in range(timeout * 4):
        if answered.is_set():
            leg = store.create_call(
                account_sid=call.account_sid,
                from_=call.from_,
                to=f"client:{store.answerer(call.sid) or (client.text or '').strip()}",
                direction="outbound-dial",
                parent=call.sid,
            )
            store.set_status(leg.sid, "in-progress")
            talk_seconds = far_end_for(call.from_).talk_seconds
            store.set_deadline(call.sid, talk_seconds)
            leg_clock = store.clock(leg.sid)
            talked = clock.talk(talk_seconds, also=leg_clock)
            if leg_clock.moved.is_set() and not clock.interrupted():
                legs.carry_on(
                    leg,
                    params=dict(base_params(leg, call.account_sid), ParentCallSid=call.sid),
                    token=token,
                    finish=functools.partial(_end_client_leg, leg.sid, talked),
                )
                return DialResult("completed", talked, bridged=True, child_sid=leg.sid)
            store.set_status(leg.sid, "completed", duration=talked)
            _record_if_asked(call=call, verb=verb, seconds=talked, token=token)
            return DialResult("completed", talked, bridged=True)
        if rejected.is_set() or clock.hung_up.is_set():
            return DialResult("busy", 0)
        clock.wait(0.25)
    return DialResult("no-answer", 0)


def _dial_number(*, call, verb, number, token: str, base: str) -> DialResult:
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
                base_params(child, call.account_sid),
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
        return DialResult("failed", 0, child_sid=child.sid)
    emit("ringing", "ringing")
    if not clock.wait(far.ring_seconds) or far.outcome != "completed":
        status = far.outcome if far.outcome != "completed" else "canceled"
        store.set_status(child.sid, status, duration=0, kind="outbound")
        emit("completed", status, CallDuration="0", Duration="0")
        return DialResult(status, 0, child_sid=child.sid)
    emit("answered", "in-progress")
    if number.get("url"):  # the whisper Twilio plays to the called party first
        params = dict(
            base_params(child, call.account_sid), CallStatus="in-progress", ParentCallSid=call.sid
        )
        url = urljoin(base, number.get("url"))
        if not whisper.screen(parent=call, child=child, url=url, params=params, token=token):
            store.set_status(child.sid, "completed", duration=1, kind="outbound")
            emit("completed", "completed", CallDuration="1", Duration="1")
            return DialResult("completed", 0, child_sid=child.sid)
    store.set_deadline(child.sid, far.talk_seconds)
    child_clock = store.clock(child.sid)
    talked = clock.talk(far.talk_seconds, also=child_clock)
    if child_clock.moved.is_set() and not clock.interrupted():

        def finish(more: int) -> None:  # the moved leg ends: its own final callback
            total = talked + more
            store.set_status(child.sid, "completed", duration=total, kind="outbound")
            emit("completed", "completed", CallDuration=str(total),
                 Duration=str(max(1, total // 60)))  # fmt: skip

        params = dict(base_params(child, call.account_sid), ParentCallSid=call.sid)
        legs.carry_on(child, params=params, token=token, finish=finish)
        return DialResult("completed", talked, bridged=True, child_sid=child.sid)
    store.set_status(child.sid, "completed", duration=talked, kind="outbound")
    emit("completed", "completed", CallDuration=str(talked), Duration=str(max(1, talked // 60)))
    _record_if_asked(call=call, verb=verb, seconds=talked, token=token)
    return DialResult("completed", talked, bridged=True, child_sid=child.sid)


def _record_if_asked(*, call, verb, seconds: int, token: str) -> None:
    if verb.get("record", "do-not-record") != "do-not-record":
        send_recording(
            call=call, seconds=seconds, url=verb.get("recordingStatusCallback"), token=token
        )
