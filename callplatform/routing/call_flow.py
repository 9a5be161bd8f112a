"""Playing a routing: the TwiML for the step at an address. Steps that need no answer from
the caller (a greeting, business hours) run on within one TwiML answer; a ring, forward or
menu ends it with a Dial or Gather whose action URL names the step it came from, and the
webhooks in `callbacks` go on from there. Every URL carries a hop counter: past MAX_HOPS
the call goes to voicemail, whatever the URLs say."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, select

from callplatform.billing import spend
from callplatform.calls import destinations, presence, ringers
from callplatform.calls.voice_webhook import NOTICE_PATH, identity_for
from callplatform.common import webhook_urls
from callplatform.common.errors import ServiceError
from callplatform.common.phone_format import display
from callplatform.models import TwilioCall, User, UserPhoneNumber
from callplatform.routing import hours, path, validation
from callplatform.routing.document import (
    Forward,
    Hangup,
    Hours,
    Menu,
    Ring,
    RoutingDocument,
    Say,
    Voicemail,
    child,
    following,
    step_at,
)
from callplatform.telephony.twiml import RECORDING_NOTICE
from callplatform.telephony.twiml_routing import Script

NEXT_PATH = "/api/twilio/route/next"
MENU_PATH = "/api/twilio/route/menu"
DIALED_PATH = "/api/twilio/route/dialed"
WHISPER_PATH = "/api/twilio/route/whisper"
ACCEPT_PATH = "/api/twilio/route/accept"
MAX_HOPS = 40  # webhook round trips one call may make through its routing
MAX_STEPS_PER_ANSWER = 30  # steps played within one TwiML answer (greetings, hours)


@dataclass
class Call:
    """One call being routed: whose number, by which document, how far it has come."""

    session: Session
    number: UserPhoneNumber
    document: RoutingDocument
    call_sid: str
    caller: str
    hop: int

    def url(self, route_path: str, address: str, **extra: str) -> str:
        return webhook_urls.url(
            route_path, n=str(self.number.id), a=address, h=str(self.hop + 1), **extra
        )

    def note(self, kind: str, detail: str = "") -> None:
        path.record(
            session=self.session,
            number_id=self.number.id,
            call_sid=self.call_sid,
            kind=kind,
            detail=detail,
        )


def play(call: Call, address: str, script: Script | None = None) -> str:
    """TwiML from the step at `address` on; the end of a route ends the call."""
    script = script or Script()
    for _ in range(MAX_STEPS_PER_ANSWER):
        if call.hop > MAX_HOPS:
            call.note("loop", "cut off after too many steps")
            return voicemail(call, script, Voicemail())
        found = step_at(call.document, address)
        if found is None:
            return str(script.hangup())
        route, index = found
        step = route[index]
        if isinstance(step, Say):
            script.say(step.text, voice=step.voice.voice, language=step.voice.language)
            address = following(address)
        elif isinstance(step, Hours):
            is_open = hours.is_open(step, hours.now())
            call.note("hours", "open" if is_open else "closed")
            address = child(address, "open" if is_open else "closed")
        elif isinstance(step, Ring):
            done = ring(call, script, address, step, turn=0)
            if done is not None:
                return done
            address = following(address)
        elif isinstance(step, Forward):
            done = forward(call, script, address, step)
            if done is not None:
                return done
            address = following(address)
        elif isinstance(step, Menu):
            return menu(call, script, address, step, attempt=1)
        elif isinstance(step, Voicemail):
            return voicemail(call, script, step)
        elif isinstance(step, Hangup):
            call.note("hangup")
            return str(script.hangup())
    return str(script.hangup())


def ring(call: Call, script: Script, address: str, step: Ring, *, turn: int) -> str | None:
    """Ring the members who are online (all, or the next in turn from `turn`); None when
    nobody is left to ring, so the route goes on."""
    online = [
        (k, uid)
        for k, uid in enumerate(step.user_ids)
        if k >= turn and presence.is_online(session=call.session, user_id=uid)
    ]
    if step.order == "in_turn":
        online = online[:1]
    if not online:
        if turn < len(step.user_ids):  # members were left to ring, but none is online
            call.note("offline")
        return None
    names = _names(call.session, [uid for _, uid in online])
    call.note("ring", ", ".join(names))
    if call.number.record_calls:
        script.say(RECORDING_NOTICE)
    script.dial_clients(
        [identity_for(uid) for _, uid in online],
        caller_id=call.caller,
        timeout=step.seconds,
        action=call.url(DIALED_PATH, address, k=str(online[-1][0])),
        record=call.number.record_calls,
        recording_status_callback=webhook_urls.url(webhook_urls.RECORDING_PATH),
    )
    return str(script)


def forward(call: Call, script: Script, address: str, step: Forward) -> str | None:
    """Dial the external number if the rules, the workspace's cap and the loop check
    allow; None (the route goes on) when they don't."""
    workspace_id = call.number.workspace_id
    try:
        target = destinations.check_destination(step.to)
        if not ringers.takes_calls(session=call.session, workspace_id=workspace_id):
            raise ServiceError("the number's workspace can't place calls")
        spend.check_can_call(session=call.session, workspace_id=workspace_id)
    except ServiceError as exc:
        call.note("forward", f"{display(step.to)} refused: {exc.message}"[:200])
        return None
    if target == call.number.phone_number or validation.loop_through(
        session=call.session, start=call.number, document=call.document
    ):
        call.note("forward", f"{display(step.to)} refused: it would loop back")
        return None
    spend.record_attempt(session=call.session, workspace_id=workspace_id)
    shows = call.caller if step.caller_id == "caller" and call.caller.startswith("+") else None
    call.note("forward", display(target))
    if call.number.record_calls:
        script.say(RECORDING_NOTICE)
    script.dial_number(
        target,
        caller_id=shows or call.number.phone_number,
        timeout=step.seconds,
        action=call.url(DIALED_PATH, address),
        whisper_url=_callee_hears(call, address, step),
        # The forwarded leg is a call the workspace pays for: its callbacks log it as an
        # outbound call of this number (`line`: whatever caller ID it shows), which the
        # reconcile sweep then prices into the ledger, like any other call.
        status_callback=webhook_urls.url(webhook_urls.STATUS_PATH, line=call.number.phone_number),
        record=call.number.record_calls,
        recording_status_callback=webhook_urls.url(webhook_urls.RECORDING_PATH),
    )
    return str(script)


def _callee_hears(call: Call, address: str, step: Forward) -> str | None:
    """The TwiML played to the callee before connecting: the whisper (which announces a
    recorded call itself), or the recording notice alone, or nothing."""
    if step.whisper:
        return call.url(WHISPER_PATH, address)
    return webhook_urls.url(NOTICE_PATH) if call.number.record_calls else None


def menu(call: Call, script: Script, address: str, step: Menu, *, attempt: int) -> str:
    """Read the menu and wait for one key; no key in time comes back with `none=1`."""
    script.gather(
        action=call.url(MENU_PATH, address, t=str(attempt)),
        timeout=step.timeout_seconds,
        prompt=step.greeting,
        voice=step.voice.voice,
        language=step.voice.language,
    )
    script.redirect(call.url(MENU_PATH, address, t=str(attempt), none="1"))
    return str(script)


def voicemail(call: Call, script: Script, step: Voicemail) -> str:
    """The caller leaves a message; the call counts as missed."""
    call.note("voicemail")
    row = call.session.exec(
        select(TwilioCall).where(
            TwilioCall.call_sid == call.call_sid, TwilioCall.number_id == call.number.id
        )
    ).first()
    if row is not None:
        row.missed = True
        if row.status == "ringing":
            row.status = "in-progress"
        call.session.add(row)
    script.say(step.greeting, voice=step.voice.voice, language=step.voice.language)
    script.record_message(
        recording_status_callback=webhook_urls.url(webhook_urls.RECORDING_PATH, kind="voicemail")
    )
    return str(script.hangup())


def blocked_action(document: RoutingDocument, caller: str) -> str | None:
    for entry in document.blocked:
        if entry.number == caller:
            return entry.action
    return None


def start(call: Call) -> str:
    """The first TwiML of an inbound call: the block list, then the route's first step."""
    action = blocked_action(call.document, call.caller)
    if action == "reject":
        call.note("blocked", "rejected")
        return str(Script().reject())
    if action == "voicemail":
        call.note("blocked", "sent to voicemail")
        return voicemail(call, Script(), Voicemail())
    return play(call, "0")


def _names(session: Session, user_ids: list[int]) -> list[str]:
    rows = {u.id: u for u in session.exec(select(User).where(User.id.in_(user_ids))).all()}
    return [rows[uid].shown_name if uid in rows else str(uid) for uid in user_ids]


def params_caller(params: Mapping[str, str]) -> str:
    return (params.get("From") or "")[:32]
