"""A conference's status callback: each event (Twilio's names) queued for the URL the
conference was given, if it asked for that kind, with Twilio's parameters and a
SequenceNumber per conference; sent in order by one thread per process, started on the
first event (a forked server worker starts its own)."""

from __future__ import annotations

import itertools
import os
import queue
import threading

from sqlmodel import select

from twilio_sandbox.conference_models import SandboxConference, SandboxParticipant
from twilio_sandbox.database import session_scope
from twilio_sandbox.phone_line import post
from twilio_sandbox.recorder import timestamp

DEFAULT_EVENTS = "start end"
_SHORT = {  # Twilio's event names and the statusCallbackEvent word that asks for each
    "conference-start": "start",
    "conference-end": "end",
    "participant-join": "join",
    "participant-leave": "leave",
    "participant-mute": "mute",
    "participant-unmute": "mute",
    "participant-hold": "hold",
    "participant-unhold": "hold",
}
_sequences: dict[str, itertools.count] = {}
_lock = threading.Lock()
_outbox: queue.Queue = queue.Queue()
_sender: list[threading.Thread] = []  # started on the first event, in this process


def notify(conf_sid: str, event: str, token: str, *, call_sid: str | None = None, **extra):
    """Queue the event for the conference's statusCallback, if it asked for this kind."""
    with session_scope() as s:
        conf = s.get(SandboxConference, conf_sid)
        part = (
            s.exec(
                select(SandboxParticipant).where(
                    SandboxParticipant.conference_sid == conf_sid,
                    SandboxParticipant.call_sid == call_sid,
                )
            ).first()
            if call_sid
            else None
        )
    if conf is None or not conf.status_callback:
        return
    if _SHORT[event] not in conf.status_callback_events.split():
        return
    with _lock:
        seq = next(_sequences.setdefault(conf_sid, itertools.count()))
    params = {
        "AccountSid": conf.account_sid,
        "ConferenceSid": conf_sid,
        "FriendlyName": conf.friendly_name,
        "StatusCallbackEvent": event,
        "SequenceNumber": str(seq),
        "Timestamp": timestamp(),
        **extra,
    }
    if call_sid:
        params["CallSid"] = call_sid
    if part is not None:
        params.update(
            Muted=str(part.muted).lower(),
            Hold=str(part.hold).lower(),
            Coaching="false",
            EndConferenceOnExit=str(part.end_conference_on_exit).lower(),
            StartConferenceOnEnter=str(part.start_conference_on_enter).lower(),
        )
        if part.label:
            params["ParticipantLabel"] = part.label
    with _lock:
        if not _sender:
            _sender.append(threading.Thread(target=_send_forever, daemon=True,
                                            name="sandbox-conference-events"))  # fmt: skip
            _sender[0].start()
    _outbox.put((conf.status_callback, params, token))


def _send_forever() -> None:
    outbox = _outbox
    while True:
        url, params, token = outbox.get()
        try:
            post(url, params, token)
        except Exception:  # noqa: BLE001 - a callback that fails is Twilio's loss, not ours
            import logging

            logging.getLogger(__name__).exception("conference callback failed")
        finally:
            outbox.task_done()


def wait_idle() -> None:
    """Until every queued conference callback was sent (tests)."""
    _outbox.join()


def _forget_sender() -> None:
    """A forked process (a server's workers) has no sender thread: it starts its own."""
    global _outbox
    _sender.clear()
    _outbox = queue.Queue()


os.register_at_fork(after_in_child=_forget_sender)
