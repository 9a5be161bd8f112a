"""Sandbox call and recording rows: create, move through statuses, bill, and the
in-memory switches (hang-up, answer) that live calls listen to."""

from __future__ import annotations

import functools
import io
import math
import threading
import time
import wave
from decimal import Decimal

from twilio_sandbox import rates, settings
from twilio_sandbox.credentials import new_sid
from twilio_sandbox.database import session_scope
from twilio_sandbox.models import SandboxCall, SandboxRecording, SandboxUsage, now
from twilio_sandbox.phone_line import Clock

_clocks: dict[str, Clock] = {}
_answers: dict[str, threading.Event] = {}
_rejects: dict[str, threading.Event] = {}
_digits: dict[str, list[str]] = {}
_deadlines: dict[str, float] = {}  # when the far end of an answered call hangs up
_answerers: dict[str, str] = {}  # which browser client answered a call ringing several
_lock = threading.Lock()


def clock(sid: str) -> Clock:
    with _lock:
        return _clocks.setdefault(sid, Clock())


def answer_event(sid: str) -> threading.Event:
    with _lock:
        return _answers.setdefault(sid, threading.Event())


def reject_event(sid: str) -> threading.Event:
    with _lock:
        return _rejects.setdefault(sid, threading.Event())


def set_answerer(sid: str, identity: str) -> None:
    with _lock:
        _answerers.setdefault(sid, identity[:64])


def answerer(sid: str) -> str:
    with _lock:
        return _answerers.get(sid, "")


def set_deadline(sid: str, talk_seconds: int) -> None:
    """The far end of `sid` answered and will talk for `talk_seconds` (scaled), wherever
    the call is moved meanwhile (a conference)."""
    with _lock:
        _deadlines[sid] = time.monotonic() + talk_seconds * settings.time_scale()


def deadline(sid: str) -> float | None:
    with _lock:
        return _deadlines.get(sid)


def add_digits(sid: str, digits: str) -> None:
    with _lock:
        _digits.setdefault(sid, []).append(digits)


def digits_sent(sid: str) -> str:
    with _lock:
        return "".join(_digits.get(sid, []))


def create_call(
    *,
    account_sid: str,
    from_: str,
    to: str,
    direction: str,
    parent: str | None = None,
    status: str = "queued",
) -> SandboxCall:
    call = SandboxCall(
        sid=new_sid("CA"),
        account_sid=account_sid,
        from_=from_,
        to=to,
        direction=direction,
        parent_call_sid=parent,
        status=status,
    )
    with session_scope() as s:
        s.add(call)
    return call


def set_status(sid: str, status: str, *, duration: int | None = None, kind: str | None = None):
    """Move a call on; a final status stamps its end, duration and price."""
    with session_scope() as s:
        call = s.get(SandboxCall, sid)
        if call is None:  # a call of a database since replaced (tests move between them)
            return None
        call.status, call.date_updated = status, now()
        if status == "in-progress":
            call.start_time = now()
        if duration is not None:
            call.end_time, call.duration = now(), duration
            if kind:
                call.price = rates.call_price(kind, duration)
                s.add(
                    SandboxUsage(
                        account_sid=call.account_sid,
                        category=f"calls-{kind}",
                        usage=Decimal(rates.minutes(duration)),
                        usage_unit="minutes",
                        price=-call.price,
                    )
                )
        s.add(call)
        return call


@functools.lru_cache(maxsize=32)
def tone_wav(seconds: int) -> bytes:
    """Real, playable audio: a soft two-tone melody, 8 kHz mono, at most 30 s."""
    rate, length = 8000, max(1, min(seconds, 30))
    frames = bytearray()
    for i in range(rate * length):
        freq = 440 if (i // (rate // 2)) % 2 == 0 else 554
        sample = int(6000 * math.sin(2 * math.pi * freq * i / rate))
        frames += sample.to_bytes(2, "little", signed=True)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return out.getvalue()


def create_recording(*, account_sid: str, call_sid: str, seconds: int) -> SandboxRecording:
    rec = SandboxRecording(
        sid=new_sid("RE"),
        account_sid=account_sid,
        call_sid=call_sid,
        duration=seconds,
        price=rates.recording_price(seconds),
    )
    with session_scope() as s:
        s.add(rec)
        s.add(
            SandboxUsage(
                account_sid=account_sid,
                category="recordings",
                usage=Decimal(rates.minutes(seconds)),
                usage_unit="minutes",
                price=-rec.price,
            )
        )
    return rec
