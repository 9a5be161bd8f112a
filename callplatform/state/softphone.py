"""The softphone every page carries: place a call, follow it, hang up, mute, keypad;
and the banner for calls coming in.

The browser leg's SID lives in a backend-only var (`_parent_sid`): handlers act on it,
never on an id the client sends. The server pushes every change to the user's calls
(`state/live.py`), and `sync` reads where the call is and what rings; the talk timer
counts in the browser. Database and Twilio work
runs in a worker thread (reads: softphone_reads.py), off the event loop every user shares.
"""

from __future__ import annotations

import asyncio
import json
import re

import reflex as rx

from callplatform.calls import browser_calls
from callplatform.common import phone_format
from callplatform.common.errors import ServiceError
from callplatform.db import in_session
from callplatform.models.base import utcnow
from callplatform.state import live, softphone_reads
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member
from callplatform.workspaces.access import Member

ENDED_LABELS = {
    "completed": "Call ended",
    "busy": "Line busy",
    "no-answer": "No answer",
    "failed": "Call failed",
    "canceled": "Call canceled",
}


FULL_NUMBER_HINT = "Enter a full number with area code, like +1 415 555 0100."


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _device(action: str, *args):
    """Ask the page's Voice SDK (components/voice_device.jsx) to act; a no-op in the
    sandbox, where the server's stand-in does the work."""
    call = f"window.cpVoice.{action}({', '.join(json.dumps(a) for a in args)})"
    return rx.call_script(f"window.cpVoice && window.cpVoice.enabled && {call}")


class SoftphoneState(SessionState):
    open: bool = False
    caller_ids: list[list[str]] = []  # [e164, label]
    caller_id: str = ""
    to_raw: str = ""
    to_display: str = ""
    to_error: str = ""
    to_hint: str = ""  # why Call is greyed out, while what was typed isn't a number yet
    status: str = "idle"  # idle | connecting | ringing | in-progress | ended
    status_text: str = ""
    elapsed: str = ""
    muted: bool = False
    digits: str = ""
    incoming_sid: str = ""
    # A call that rang here too and another member answered ("… was answered by Ann").
    answered_elsewhere: str = ""
    incoming_from: str = ""  # the caller's name among the contacts, else their number
    incoming_number: str = ""  # the caller's number, when their name is shown
    incoming_to: str = ""
    talk_seconds: int = -1  # seconds talked when last synced, while a call is answered
    _parent_sid: str = ""

    @rx.var
    def in_call(self) -> bool:
        return self.status in ("connecting", "ringing", "in-progress")

    @rx.event
    def toggle(self):
        self.open = not self.open
        if self.open:
            return SoftphoneState.load_numbers

    @rx.event
    async def load_numbers(self):
        member = await acting_member(self)
        if member is None:
            return
        await self._load_caller_ids(member)

    async def _load_caller_ids(self, member: Member) -> None:
        self.caller_ids = await asyncio.to_thread(softphone_reads.caller_ids, member)
        if self.caller_id not in {number for number, _label in self.caller_ids}:
            self.caller_id = self.caller_ids[0][0] if self.caller_ids else ""

    @rx.event
    def set_caller_id(self, value: str):
        self.caller_id = str(value)

    @rx.event
    def dial(self, number: str):
        """Open the softphone with a number to call (a call back): the user presses Call."""
        self.open = True
        if not self.in_call:
            self._set_to(number)
        return SoftphoneState.load_numbers

    @rx.event
    def set_to(self, value: str):
        self._set_to(value)

    def _set_to(self, value: str) -> None:
        """Keep what was typed, show it normalised, explain it once it can't be a number,
        and until then say what Call is waiting for."""
        self.to_raw = str(value)[:40]
        self.to_error, self.to_hint = "", ""
        try:
            self.to_display = phone_format.display(phone_format.to_e164(self.to_raw))
        except ServiceError as exc:
            self.to_display = ""
            if len("".join(c for c in self.to_raw if c.isdigit())) >= 10:
                self.to_error = exc.message
            elif self.to_raw.strip():
                self.to_hint = FULL_NUMBER_HINT

    @rx.event
    async def call(self):
        member = await acting_member(self)
        if member is None:
            yield self._bounce()
            return
        if self.in_call:
            return
        self.to_error, self.status, self.status_text = "", "connecting", "Connecting…"
        self.elapsed, self.muted, self.digits, self.talk_seconds = "", False, "", -1
        yield
        try:
            placed = await asyncio.to_thread(
                in_session,
                browser_calls.start_call,
                member=member,
                caller_id=self.caller_id,
                to=self.to_raw,
            )
        except ServiceError as exc:
            self.status, self.status_text, self.to_error = "idle", "", exc.message
            return
        self._parent_sid, self.status_text = placed.call_sid, "Calling…"
        if not placed.call_sid:  # real Twilio: the browser's Voice SDK connects the call
            yield _device("connect", placed.to, placed.caller_id)

    @rx.event
    async def hang_up(self):
        member = await acting_member(self)
        if member is None or not self._parent_sid:
            return
        self.status_text = "Hanging up…"
        yield _device("hangup")
        try:
            await asyncio.to_thread(
                in_session, browser_calls.hang_up, member=member, call_sid=self._parent_sid
            )
        except ServiceError as exc:
            yield rx.toast.error(exc.message)

    @rx.event
    def toggle_mute(self):
        self.muted = not self.muted
        return _device("mute", self.muted)

    @rx.event
    def device_event(self, kind: str, call_sid: str):
        """What the browser's Voice SDK saw. Only the SID of the browser's own leg is
        kept, and every server action on it is checked against the user's own account."""
        kind, call_sid = str(kind), str(call_sid)
        if kind in ("ringing", "connected") and re.fullmatch(r"CA[0-9a-f]{32}", call_sid):
            self._parent_sid = call_sid
        elif kind == "error":
            self.status_text = call_sid[:200]

    @rx.event
    async def press_key(self, key: str):
        key = str(key)[:1]
        if key not in "0123456789*#" or not key:
            return
        member = await acting_member(self)
        if member is None:
            return
        if not self.in_call:
            self._set_to(self.to_raw + key)
            return
        self.digits = (self.digits + key)[-20:]
        if browser_calls.browser_places_calls():
            yield _device("digits", key)
            return
        try:
            await asyncio.to_thread(
                in_session,
                browser_calls.send_digits,
                member=member,
                call_sid=self._parent_sid,
                digits=key,
            )
        except ServiceError as exc:
            yield rx.toast.error(exc.message)

    @rx.event
    async def respond(self, accept: bool):
        """Accept or reject the ringing inbound call shown in the banner."""
        member = await acting_member(self)
        sid = self.incoming_sid
        if member is None or not sid:
            return
        self.incoming_sid = ""
        try:
            await asyncio.to_thread(
                in_session,
                browser_calls.answer,
                member=member,
                call_sid=sid,
                accept=bool(accept),
            )
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
            return
        if browser_calls.browser_places_calls():
            yield _device("accept" if accept else "reject")
        if accept:
            self._parent_sid, self.status, self.status_text = sid, "in-progress", "Connected"
            self.open, self.elapsed, self.talk_seconds = True, "", 0
            await self._load_caller_ids(member)  # the panel opens: show the member's numbers

    @rx.event
    async def sync(self):
        """Calls ringing for the user and the progress of the call this tab follows: on
        each page load and whenever the server pushes a change to the user's calls."""
        member = await acting_member(self)
        if member is None:
            return
        ringing, progress, names, taken = await asyncio.to_thread(
            softphone_reads.follow,
            member,
            following_sid=self._parent_sid if self._parent_sid and self.in_call else "",
        )
        self._show_incoming(ringing, names)
        self.answered_elsewhere = (
            f"{phone_format.display(taken[0][0].from_number)} was answered by {taken[0][1]}"
            if taken and not self.incoming_sid and not self.in_call
            else ""
        )
        if progress is not None:
            self._follow(progress)

    def _show_incoming(self, ringing, names: dict[str, str]) -> None:
        live = [c for c in ringing if c.call_sid != self._parent_sid]
        if not live:
            self.incoming_sid = ""
            return
        call = live[0]
        self.incoming_sid = call.call_sid
        number = phone_format.display(call.from_number)
        name = names.get(call.from_number, "")
        self.incoming_from, self.incoming_number = (name, number) if name else (number, "")
        self.incoming_to = phone_format.display(call.to_number)

    def _follow(self, progress) -> None:
        if progress.status in browser_calls.FINAL:
            self.status, self.status_text = "ended", ENDED_LABELS.get(progress.status, "Ended")
            self.elapsed = _clock(progress.duration_seconds or 0) if progress.answered_at else ""
            self.talk_seconds, self._parent_sid = -1, ""
        elif progress.status == "in-progress":
            self.status, self.status_text = "in-progress", "In call"
            if progress.answered_at:  # the browser counts on from here (components/call_timer)
                self.talk_seconds = int((utcnow() - progress.answered_at).total_seconds())
        else:
            self.status, self.status_text = "ringing", "Ringing…"


live.refresh_on(SoftphoneState, "sync", live.CALLS)
live.refresh_on(SoftphoneState, "load_numbers", live.NUMBERS)
