"""Live calls and conferences at Twilio, for hold and transfer: move a live call to new
TwiML (a call update), find a call's bridged child legs, find a conference by its name,
and the Participants API (add, hold with a hold URL, remove) and ending a conference."""

from __future__ import annotations

from dataclasses import dataclass

from .calls import _call
from .client import make_client
from .errors import NotFound, translate, translating
from .types import AccountCredentials, CallInfo

PARTICIPANT_EVENTS = ["initiated", "ringing", "answered", "completed"]


@dataclass(frozen=True)
class ParticipantInfo:
    call_sid: str
    conference_sid: str
    label: str | None
    hold: bool
    muted: bool
    status: str


def _participant(record) -> ParticipantInfo:
    return ParticipantInfo(
        call_sid=record.call_sid,
        conference_sid=record.conference_sid,
        label=record.label,
        hold=bool(record.hold),
        muted=bool(record.muted),
        status=str(record.status or ""),
    )


def _conference(creds: AccountCredentials, sid: str):
    return make_client(creds).api.v2010.accounts(creds.sid).conferences(sid)


@translating
def move_call(creds: AccountCredentials, *, sid: str, twiml: str) -> CallInfo:
    """The live call leaves what it is doing and runs `twiml` (a bridged leg leaves its
    Dial: the other leg goes on to the Dial's action)."""
    return _call(make_client(creds).api.v2010.accounts(creds.sid).calls(sid).update(twiml=twiml))


@translating
def live_child_calls(creds: AccountCredentials, *, parent_sid: str) -> list[CallInfo]:
    """The call's legs in progress that a Dial made (the browser's leg of an inbound call)."""
    calls = make_client(creds).api.v2010.accounts(creds.sid).calls
    # One page: a call has a leg or two, and only the first page is ever asked for.
    page = calls.page(parent_call_sid=parent_sid, status="in-progress", page_size=20)
    return [_call(r) for r in page]


@translating
def find_conference(creds: AccountCredentials, *, name: str) -> str | None:
    """The SID of the account's conference of that name in progress, if any."""
    rooms = make_client(creds).api.v2010.accounts(creds.sid).conferences
    found = list(rooms.page(friendly_name=name, status="in-progress", page_size=1))
    return found[0].sid if found else None


@translating
def add_participant(
    creds: AccountCredentials,
    *,
    conference_sid: str,
    from_: str,
    to: str,
    label: str,
    status_callback: str,
    end_conference_on_exit: bool,
    timeout: int = 30,
) -> ParticipantInfo:
    """Dial `to` (a number or `client:identity`) into the conference from `from_`; the
    new call's progress goes to `status_callback` as any call's does."""
    return _participant(
        _conference(creds, conference_sid).participants.create(
            from_=from_,
            to=to,
            label=label,
            status_callback=status_callback,
            status_callback_method="POST",
            status_callback_event=PARTICIPANT_EVENTS,
            end_conference_on_exit=end_conference_on_exit,
            beep="false",
            timeout=timeout,
        )
    )


@translating
def hold_participant(
    creds: AccountCredentials, *, conference_sid: str, call_sid: str, hold: bool, hold_url: str
) -> ParticipantInfo:
    """Hold (the held call hears the TwiML at `hold_url`, fetched with POST) or resume."""
    participant = _conference(creds, conference_sid).participants(call_sid)
    if hold:
        return _participant(participant.update(hold=True, hold_url=hold_url, hold_method="POST"))
    return _participant(participant.update(hold=False))


@translating
def remove_participant(creds: AccountCredentials, *, conference_sid: str, call_sid: str) -> None:
    """Take the call out of the conference; one already gone is what we wanted."""
    try:
        _conference(creds, conference_sid).participants(call_sid).delete()
    except Exception as exc:  # noqa: BLE001 - translated below
        error = translate(exc)
        if not isinstance(error, NotFound):
            raise error from exc


@translating
def end_conference(creds: AccountCredentials, *, conference_sid: str) -> None:
    """End it for everyone still in it."""
    _conference(creds, conference_sid).update(status="completed")
