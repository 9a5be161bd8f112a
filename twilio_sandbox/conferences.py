"""Conferences as Twilio runs them: a call joins through <Dial><Conference> (or the
Participants API dials it in), stays until it hangs up, is moved, is removed, its far end
hangs up or the conference ends; `endConferenceOnExit` ends it for everyone, and so does
the last participant leaving. Every change is announced to the conference's
statusCallback (`conference_events`)."""

from __future__ import annotations

import threading
import time

from sqlmodel import select

from twilio_sandbox import calls_store as store
from twilio_sandbox import settings
from twilio_sandbox.conference_events import DEFAULT_EVENTS, notify
from twilio_sandbox.conference_models import SandboxConference, SandboxParticipant
from twilio_sandbox.credentials import new_sid
from twilio_sandbox.database import session_scope
from twilio_sandbox.models import now
from twilio_sandbox.phone_line import POLL_SECONDS

_leaving: dict[str, threading.Event] = {}  # call SID -> set when it must leave
_lock = threading.Lock()


def _leave_event(call_sid: str, *, fresh: bool = False) -> threading.Event:
    with _lock:
        if fresh or call_sid not in _leaving:
            _leaving[call_sid] = threading.Event()
        return _leaving[call_sid]


def open_conference(*, account_sid: str, name: str, callback: str | None, events: str):
    """The account's live conference of that name, made when there is none; the first
    statusCallback given is the conference's."""
    with session_scope() as s:
        conf = s.exec(
            select(SandboxConference).where(
                SandboxConference.account_sid == account_sid,
                SandboxConference.friendly_name == name,
                SandboxConference.status != "completed",
            )
        ).first()
        if conf is None:
            conf = SandboxConference(sid=new_sid("CF"), account_sid=account_sid, friendly_name=name)
        if conf.status_callback is None and callback:
            conf.status_callback, conf.status_callback_events = callback, events or DEFAULT_EVENTS
        s.add(conf)
        return conf


def seat(*, conf_sid: str, call_sid: str, account_sid: str, status: str, **options) -> None:
    """The participant's row (a dialled participant has one from the moment it rings)."""
    with session_scope() as s:
        row = s.exec(
            select(SandboxParticipant).where(
                SandboxParticipant.conference_sid == conf_sid,
                SandboxParticipant.call_sid == call_sid,
            )
        ).first() or SandboxParticipant(
            conference_sid=conf_sid, call_sid=call_sid, account_sid=account_sid, **options
        )
        row.status, row.date_updated = status, now()
        s.add(row)


def unseat(conf_sid: str, call_sid: str) -> None:
    with session_scope() as s:
        row = s.exec(
            select(SandboxParticipant).where(
                SandboxParticipant.conference_sid == conf_sid,
                SandboxParticipant.call_sid == call_sid,
            )
        ).first()
        if row is not None:
            s.delete(row)


def stay(*, conf_sid: str, call, token: str, deadline: float | None, **options) -> int:
    """The call is in the conference until something takes it out; the seconds it was in.
    A far end that hangs up (its `deadline`) ends the call itself."""
    seat(conf_sid=conf_sid, call_sid=call.sid, account_sid=call.account_sid,
         status="connected", **options)  # fmt: skip
    leaving = _leave_event(call.sid, fresh=True)
    with session_scope() as s:
        conf = s.get(SandboxConference, conf_sid)
        starting = conf.status == "init" and options.get("start_conference_on_enter", True)
        if starting:
            conf.status, conf.date_updated = "in-progress", now()
            s.add(conf)
    if starting:
        notify(conf_sid, "conference-start", token)
    notify(conf_sid, "participant-join", token, call_sid=call.sid)
    clock, started = store.clock(call.sid), time.monotonic()
    while not (clock.interrupted() or leaving.is_set()):
        if deadline is not None and time.monotonic() >= deadline:
            clock.hang_up()  # the far end put the phone down
            break
        time.sleep(POLL_SECONDS)
    kicked = leaving.is_set() and not clock.interrupted()
    _leave(conf_sid, call.sid, token, kicked=kicked)
    return max(1, round((time.monotonic() - started) / max(settings.time_scale(), 1e-6)))


def _leave(conf_sid: str, call_sid: str, token: str, *, kicked: bool) -> None:
    with session_scope() as s:
        row = s.exec(
            select(SandboxParticipant).where(
                SandboxParticipant.conference_sid == conf_sid,
                SandboxParticipant.call_sid == call_sid,
            )
        ).first()
        ends = bool(row and row.end_conference_on_exit)
    notify(conf_sid, "participant-leave", token, call_sid=call_sid)
    unseat(conf_sid, call_sid)
    with session_scope() as s:
        left = s.exec(
            select(SandboxParticipant.id).where(SandboxParticipant.conference_sid == conf_sid)
        ).all()
    how = "kicked" if kicked else "left"
    if ends:
        end(conf_sid, token, reason=f"participant-with-end-conference-on-exit-{how}", by=call_sid)
    elif not left:
        end(conf_sid, token, reason=f"last-participant-{how}", by=call_sid)


def end(conf_sid: str, token: str, *, reason: str, by: str | None = None) -> None:
    """End the conference (once): everyone still in it leaves."""
    with session_scope() as s:
        conf = s.get(SandboxConference, conf_sid)
        if conf is None or conf.status == "completed":
            return
        conf.status, conf.date_updated = "completed", now()
        conf.reason_conference_ended, conf.call_sid_ending_conference = reason, by
        s.add(conf)
        present = s.exec(
            select(SandboxParticipant.call_sid).where(SandboxParticipant.conference_sid == conf_sid)
        ).all()
    for sid in present:
        remove(sid)
    notify(conf_sid, "conference-end", token, ReasonConferenceEnded=reason,
           CallSidEndingConference=by or "")  # fmt: skip


def remove(call_sid: str) -> None:
    """Take the call out of its conference (the Participants API's DELETE)."""
    _leave_event(call_sid).set()
