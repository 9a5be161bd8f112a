"""What the Participants API does to a conference: dial a new participant in (a number,
its far end chosen by the number, or a browser client answering through the device door),
with the new call's progress callbacks; and hold, the hold URL's TwiML fetched and played
to the held participant."""

from __future__ import annotations

import threading

from sqlmodel import select

from twilio_sandbox import calls_store as store
from twilio_sandbox import conferences, legs
from twilio_sandbox.conference_models import SandboxParticipant
from twilio_sandbox.database import session_scope
from twilio_sandbox.dialing import base_params
from twilio_sandbox.models import now
from twilio_sandbox.phone_line import far_end_for, post
from twilio_sandbox.recorder import timestamp


def dial_in(*, conf_sid: str, call, options: dict, token: str, callback: str | None,
            events: set[str], timeout: int) -> None:  # fmt: skip
    """Ring the new participant's call on its own thread; it joins once answered."""
    conferences.seat(conf_sid=conf_sid, call_sid=call.sid, account_sid=call.account_sid,
                     status="queued", **options)  # fmt: skip
    args = dict(conf_sid=conf_sid, call=call, options=options, token=token, callback=callback,
                events=events, timeout=timeout)  # fmt: skip
    threading.Thread(target=_guarded, kwargs=args, daemon=True).start()


def _guarded(**kwargs) -> None:
    try:
        _ring(**kwargs)
    except Exception:  # noqa: BLE001 - a simulated call must never take the server down
        import logging

        logging.getLogger(__name__).exception("sandbox participant call failed")


def _ring(*, conf_sid, call, options, token, callback, events, timeout) -> None:
    seq = iter(range(100))

    def emit(event: str, status: str, **extra) -> None:
        if event in events:
            params = dict(base_params(call, call.account_sid), CallStatus=status,
                          SequenceNumber=str(next(seq)), Timestamp=timestamp(),
                          CallbackSource="call-progress-events", **extra)  # fmt: skip
            post(callback, params, token)

    clock = store.clock(call.sid)
    emit("initiated", "initiated")
    answered = _answered(call, clock, timeout, emit)
    if answered is not True:
        conferences.unseat(conf_sid, call.sid)
        store.set_status(call.sid, answered, duration=0, kind="outbound")
        emit("completed", answered, CallDuration="0", Duration="0")
        return
    store.set_status(call.sid, "in-progress")
    emit("answered", "in-progress")
    seconds = conferences.stay(conf_sid=conf_sid, call=call, token=token,
                               deadline=store.deadline(call.sid), **options)  # fmt: skip
    if clock.moved.is_set() and not clock.hung_up.is_set():  # moved out: its new TwiML runs
        seconds += legs._run(call, params=base_params(call, call.account_sid), token=token)
    kind = "client" if call.to.startswith("client:") else "outbound"
    store.set_status(call.sid, "completed", duration=seconds, kind=kind)
    emit("completed", "completed", CallDuration=str(seconds), Duration=str(max(1, seconds // 60)))


def _answered(call, clock, timeout: int, emit) -> bool | str:
    """True once the far end answers; else the call's final status."""
    if call.to.startswith("client:"):
        store.set_status(call.sid, "ringing")
        emit("ringing", "ringing")
        answer, reject = store.answer_event(call.sid), store.reject_event(call.sid)
        for _ in range(timeout * 4):
            if answer.is_set():
                return True
            if reject.is_set():
                return "busy"
            if not clock.wait(0.25):
                return "canceled"
        return "no-answer"
    far = far_end_for(call.to)
    if far.outcome == "failed":
        return "failed"
    store.set_status(call.sid, "ringing")
    emit("ringing", "ringing")
    if not clock.wait(min(far.ring_seconds, timeout)):
        return "canceled"
    if far.outcome != "completed":
        return far.outcome
    store.set_deadline(call.sid, far.talk_seconds)
    return True


def set_hold(*, row: SandboxParticipant, hold: bool, url: str | None, method: str,
             conf_name: str, token: str) -> None:  # fmt: skip
    """Hold or take off hold; a held participant hears the hold URL's TwiML (fetched as
    Twilio does, with the call's parameters), or Twilio's default music without one."""
    if hold == row.hold:
        return
    hearing = ""
    if hold:
        hearing = "default-music"
        if url:
            from twilio_sandbox.simulator import fetch_twiml

            params = {"AccountSid": row.account_sid, "CallSid": row.call_sid,
                      "ConferenceSid": row.conference_sid, "FriendlyName": conf_name}  # fmt: skip
            verbs = list(fetch_twiml(url, params, token)) if method == "POST" else []
            hearing = " ".join(v.tag for v in verbs)[:64] or "audio"
    with session_scope() as s:
        fresh = s.get(SandboxParticipant, row.id)
        fresh.hold, fresh.hold_url, fresh.hearing = hold, url if hold else None, hearing
        fresh.date_updated = now()
        s.add(fresh)
    conferences.notify(row.conference_sid, "participant-hold" if hold else "participant-unhold",
                       token, call_sid=row.call_sid)  # fmt: skip


def set_muted(*, row: SandboxParticipant, muted: bool, token: str) -> None:
    if muted == row.muted:
        return
    with session_scope() as s:
        fresh = s.get(SandboxParticipant, row.id)
        fresh.muted, fresh.date_updated = muted, now()
        s.add(fresh)
    conferences.notify(row.conference_sid, "participant-mute" if muted else "participant-unmute",
                       token, call_sid=row.call_sid)  # fmt: skip


def find(s, conf_sid: str, key: str) -> SandboxParticipant | None:
    """A participant by its call's SID or its label (Twilio accepts either)."""
    column = SandboxParticipant.call_sid if key.startswith("CA") else SandboxParticipant.label
    return s.exec(
        select(SandboxParticipant).where(
            SandboxParticipant.conference_sid == conf_sid, column == key
        )
    ).first()
