"""The webhooks a routed call comes back to: the first TwiML (`plan_for`, asked by the
voice webhook), a menu's key, a dial's end, a forward's whisper and its answer.

Every one acts only on a number the signing account owns: the number named in the URL
must belong to the account whose token signed the request, else the answer is a bare
hang-up and nothing is written. The CallSid is the signer's word too, so the path is
filed under (number, CallSid) and read back only for the number's own call."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError as ShapeError
from sqlmodel import Session, select

from callplatform.common import ids
from callplatform.common.phone_format import display
from callplatform.models import NumberRouting, NumberStatus, UserPhoneNumber
from callplatform.routing import call_flow
from callplatform.routing.call_flow import Call
from callplatform.routing.document import Menu, Ring, RoutingDocument, child, following, step_at
from callplatform.telephony.twiml import RECORDING_NOTICE
from callplatform.telephony.twiml_routing import Script
from callplatform.tenancy import subaccounts

ANSWERED = {"completed", "answered"}


def _document(session: Session, number_id: int) -> RoutingDocument | None:
    stored = session.exec(
        select(NumberRouting.document).where(NumberRouting.number_id == number_id)
    ).first()
    try:
        return RoutingDocument.model_validate(stored) if stored else None
    except ShapeError:
        return None  # stored by an older shape: the default routing takes over


def plan_for(*, session: Session, number: UserPhoneNumber, call, params: Mapping[str, str]):
    """The first TwiML of an inbound call to `number` (already proven the signer's), or
    None when the number has no routing (the voice webhook's default plays)."""
    document = _document(session, number.id)
    if document is None:
        return None
    sid = call.call_sid if call is not None else (params.get("CallSid") or "")[:34]
    routed = Call(session, number, document, sid, call_flow.params_caller(params), hop=0)
    return call_flow.start(routed)


def _signers_number(session: Session, params: Mapping[str, str], number_id):
    number_id = ids.as_id(number_id)
    number = session.get(UserPhoneNumber, number_id) if number_id is not None else None
    if number is None or number.status != NumberStatus.ACTIVE:
        return None
    account = params.get("AccountSid", "")
    workspace = subaccounts.find_workspace_id_by_account(session=session, account_sid=account)
    return number if workspace is not None and workspace == number.workspace_id else None


def _int(query: Mapping[str, str], name: str, top: int) -> int:
    value = query.get(name, "")
    ascii_digits = value.isascii() and value.isdigit() and len(value) <= 5  # not "²"
    return int(value) if ascii_digits and int(value) <= top else 0


def _call(session: Session, params, query, *, parent: bool = False) -> tuple[Call, str] | None:
    """The routed call a callback is about, and the step address it names."""
    number = _signers_number(session, params, query.get("n"))
    address = query.get("a", "")
    if number is None or len(address) > 40:
        return None
    document = _document(session, number.id)
    if document is None:
        return None
    sid = (params.get("ParentCallSid") if parent else None) or params.get("CallSid") or ""
    hop = _int(query, "h", 10_000)
    return Call(session, number, document, sid[:34], call_flow.params_caller(params), hop), address


HANG_UP = str(Script().hangup())


def next_step(*, session: Session, params: Mapping[str, str], query: Mapping[str, str]) -> str:
    found = _call(session, params, query)
    return call_flow.play(*found) if found else HANG_UP


def menu_answer(*, session: Session, params: Mapping[str, str], query: Mapping[str, str]) -> str:
    """A key (Digits) from a menu's Gather, or none in time (the Redirect's `none=1`)."""
    found = _call(session, params, query)
    step = step_at(found[0].document, found[1]) if found else None
    if step is None or not isinstance(step[0][step[1]], Menu):
        return HANG_UP
    call, address = found
    menu: Menu = step[0][step[1]]
    digits = "" if query.get("none") else (params.get("Digits") or "")[:1]
    if digits in menu.options:
        call.note("menu", f"pressed {digits}")
        return call_flow.play(call, child(address, f"k{digits}"))
    script = Script()
    if digits:
        call.note("menu", f"pressed {digits}, not an option")
        script.say(menu.invalid_message, voice=menu.voice.voice, language=menu.voice.language)
    else:
        call.note("menu", "no key pressed")
    attempt = _int(query, "t", 9) or 1
    if attempt < menu.attempts:
        return call_flow.menu(call, script, address, menu, attempt=attempt + 1)
    return call_flow.play(call, child(address, "fb"), script)


def dialed(*, session: Session, params: Mapping[str, str], query: Mapping[str, str]) -> str:
    """A ring or forward ended: answered (and, after a whisper, accepted) ends the call
    here; otherwise the next member in turn, or the route's next step."""
    found = _call(session, params, query)
    step = step_at(found[0].document, found[1]) if found else None
    if step is None:
        return HANG_UP
    call, address = found
    status = (params.get("DialCallStatus") or "")[:16]
    if status in ANSWERED and params.get("DialBridged", "true") != "false":
        call.note("answered")
        return HANG_UP
    call.note("unanswered", "not accepted" if status in ANSWERED else status or "unknown")
    current = step[0][step[1]]
    if isinstance(current, Ring) and current.order == "in_turn":
        done = call_flow.ring(call, Script(), address, current, turn=_int(query, "k", 99) + 1)
        if done is not None:
            return done
    return call_flow.play(call, following(address))


def whisper(*, session: Session, params: Mapping[str, str], query: Mapping[str, str]) -> str:
    """Played to the person a call is forwarded to, before connecting: press 1 to take it
    (so their own voicemail can't swallow the call)."""
    found = _call(session, params, query, parent=True)
    if found is None:
        return HANG_UP
    call, address = found
    name = call.number.friendly_name or display(call.number.phone_number)
    # A recorded call is announced to the callee too (the caller heard it before the Dial).
    script = Script().say(RECORDING_NOTICE if call.number.record_calls else "")
    return str(
        script.gather(
            action=call.url(call_flow.ACCEPT_PATH, address),
            timeout=8,
            prompt=f"Call for {name}, press 1 to accept.",
            voice="Polly.Joanna",
            language="en-US",
        ).hangup()
    )


def accept(*, session: Session, params: Mapping[str, str], query: Mapping[str, str]) -> str:
    """The whisper's key: 1 connects (an empty answer ends the whisper), anything else
    declines (the caller's Dial then ends unbridged and the route goes on)."""
    found = _call(session, params, query, parent=True)
    if found is None:
        return HANG_UP
    call, _address = found
    if (params.get("Digits") or "") == "1":
        call.note("whisper", "accepted")
        return str(Script())
    call.note("whisper", "declined")
    return HANG_UP
