"""What happens when Twilio asks our voice webhook for instructions.

Outbound (the browser dials): the caller ID must be an active number of the workspace
the member may use and the destination must pass the platform's rules, or the call is
refused with a spoken reason. Inbound (someone calls a workspace's number): ring the
open tabs of the people it rings (`ringers`), and on no answer (or with no tab open)
take a voicemail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlmodel import Session, select

from callplatform.billing import spend
from callplatform.calls import destinations, ringers
from callplatform.common import audit, text_input, webhook_urls
from callplatform.common.errors import NotFound, ServiceError, ValidationError
from callplatform.models import NumberStatus, TwilioCall, User, UserPhoneNumber
from callplatform.telephony import twiml
from callplatform.tenancy import subaccounts
from callplatform.workspaces import access
from callplatform.workspaces.access import Member

RING_SECONDS = 20
DIAL_RESULT_PATH = "/api/twilio/voice/dial-result"
NOTICE_PATH = "/api/twilio/voice/notice"
# The Dial's action of a browser call: after a hold or transfer moved the callee into a
# conference, the browser's leg joins it (routing/conference.py answers it).
REJOIN_PATH = "/api/twilio/conference/rejoin"
GREETING = "The person you are calling is not available. Please leave a message after the tone."
NOT_IN_SERVICE = "The number you have called is not in service. Goodbye."
_IDENTITY = re.compile(r"^(?:client:)?user-(\d{1,12})$")


def identity_for(user_id: int) -> str:
    """The Voice SDK client identity of a user's browser tabs."""
    return f"user-{user_id}"


def user_id_of_identity(value: str) -> int | None:
    match = _IDENTITY.match(value or "")
    return int(match.group(1)) if match else None


def _workspace_number(*, session: Session, workspace_id: int, e164: str) -> UserPhoneNumber | None:
    if len(e164) > 16 or text_input.has_control(e164):
        return None  # no E.164 number is longer, or has control characters
    return session.exec(
        select(UserPhoneNumber).where(
            UserPhoneNumber.workspace_id == workspace_id,
            UserPhoneNumber.phone_number == e164,
            UserPhoneNumber.status == NumberStatus.ACTIVE,
        )
    ).first()


def check_outbound(*, session: Session, member: Member, caller_id: str, to: str) -> tuple:
    """Validate an outbound call; return (number row, destination E.164) or raise. The
    caller ID is any of the workspace's numbers the member may use."""
    user = session.get(User, member.user_id)
    if user is None or user.is_suspended:
        raise ValidationError("Your account is suspended, so calls are disabled.")
    number = _workspace_number(
        session=session, workspace_id=member.workspace_id, e164=str(caller_id or "")
    )
    if number is None or not member.may_use_number(number.id):
        raise ValidationError("Choose one of your own numbers to call from.", field="caller_id")
    destination = destinations.check_destination(to)
    spend.check_can_call(session=session, workspace_id=member.workspace_id, user_id=user.id)
    return number, destination


def check_outbound_or_log(*, session: Session, member: Member, caller_id: str, to: str) -> tuple:
    """`check_outbound` for a call the member asks for; a refusal is audited and
    committed even though the caller's unit of work fails."""
    try:
        return check_outbound(session=session, member=member, caller_id=caller_id, to=to)
    except ServiceError as exc:
        audit.record(
            session=session,
            action="call.refused",
            actor_id=member.user_id,
            workspace_id=member.workspace_id,
            to=str(to)[:40],
            reason=exc.message,
        )
        session.commit()
        raise


def voice_twiml(*, session: Session, params: Mapping[str, str], route_planner=None) -> str:
    """TwiML for a call Twilio is starting, by who is calling whom. `route_planner`
    (`routing.callbacks.plan_for`, passed in by the api: routing builds on calls, so
    calls can't import it) answers inbound calls to numbers that have a routing."""
    caller = params.get("From", "")
    if caller.startswith("client:"):
        return _outbound(session=session, params=params)
    return _inbound(session=session, params=params, route_planner=route_planner)


def signing_member(
    *, session: Session, params: Mapping[str, str], user_id: int | None
) -> Member | None:
    """The user as a member of the workspace whose subaccount signed the request (None:
    they aren't one; a browser's identity counts only in its own workspace's account)."""
    workspace_id = subaccounts.find_workspace_id_by_account(
        session=session, account_sid=params.get("AccountSid", "")
    )
    if user_id is None or workspace_id is None:
        return None
    try:
        return access.acting_member(session=session, user_id=user_id, workspace_id=workspace_id)
    except NotFound:
        return None


def _outbound(*, session: Session, params: Mapping[str, str]) -> str:
    user_id = user_id_of_identity(params.get("From", ""))
    member = signing_member(session=session, params=params, user_id=user_id)
    if member is None:
        return twiml.refuse(message="This call is not allowed.")
    return dial_out(
        session=session,
        member=member,
        caller_id=params.get("CallerId", ""),
        to=params.get("To", ""),
    )


def dial_out(*, session: Session, member: Member, caller_id: str, to: str) -> str:
    """TwiML that dials `to` from the workspace's number `caller_id`, or a spoken
    refusal (logged) when the rules, the caps or the rate limit say no."""
    try:
        number, destination = check_outbound(
            session=session, member=member, caller_id=caller_id, to=to
        )
    except ServiceError as exc:
        audit.record(
            session=session,
            action="call.refused",
            actor_id=member.user_id,
            workspace_id=member.workspace_id,
            to=to[:40],
            reason=exc.message,
        )
        return twiml.refuse(message=exc.message)
    spend.record_attempt(session=session, workspace_id=member.workspace_id)
    return twiml.dial_number(
        caller_id=number.phone_number,
        number=destination,
        record=number.record_calls,
        announce_recording=number.record_calls,
        # The far end's leg is the call the log shows: its callbacks say who placed it.
        status_callback=webhook_urls.url(webhook_urls.STATUS_PATH, by=member.user_id),
        recording_status_callback=webhook_urls.url(webhook_urls.RECORDING_PATH),
        notice_url=webhook_urls.url(NOTICE_PATH),
        action=webhook_urls.url(REJOIN_PATH),
    )


def _inbound(*, session: Session, params: Mapping[str, str], route_planner=None) -> str:
    workspace_id = subaccounts.find_workspace_id_by_account(
        session=session, account_sid=params["AccountSid"]
    )
    number = (
        _workspace_number(session=session, workspace_id=workspace_id, e164=params.get("To", ""))
        if workspace_id
        else None
    )
    if number is None or not ringers.takes_calls(session=session, workspace_id=workspace_id):
        return twiml.refuse(message=NOT_IN_SERVICE)
    call = _record_incoming(session=session, params=params, number=number)
    # --- Routing hook (issue 18): the number's own routing, if it has one. ---
    routed = route_planner and route_planner(
        session=session, number=number, call=call, params=params
    )
    if routed is not None:
        return routed
    # --- Without a routing: ring the tabs of who the number rings, then voicemail. ---
    online = ringers.online_people_for(session=session, number=number)
    if not online:
        return _to_voicemail(session=session, call=call)
    return twiml.dial_client(
        identities=[identity_for(uid) for uid in online],
        caller_id=params.get("From", ""),
        timeout=RING_SECONDS,
        action=webhook_urls.url(DIAL_RESULT_PATH),
        record=number.record_calls,
        announce_recording=number.record_calls,
        recording_status_callback=webhook_urls.url(webhook_urls.RECORDING_PATH),
    )


def dial_result_twiml(*, session: Session, params: Mapping[str, str]) -> str:
    """After ringing the browser: answered calls just end; the rest leave a voicemail."""
    if params.get("DialCallStatus") in {"completed", "answered"}:
        return twiml.refuse(message="")
    # Only the signer's own call (never another tenant's that names the same CallSid).
    workspace_id = subaccounts.find_workspace_id_by_account(
        session=session, account_sid=params["AccountSid"]
    )
    call = session.exec(
        select(TwilioCall).where(
            TwilioCall.call_sid == params.get("CallSid", ""),
            TwilioCall.workspace_id == workspace_id,
        )
    ).first()
    return _to_voicemail(session=session, call=call)


def _to_voicemail(*, session: Session, call: TwilioCall | None) -> str:
    """Nobody answers: the call is missed, stops ringing the tabs, and takes a message."""
    if call is not None:
        call.missed = True
        if call.status == "ringing":
            call.status = "in-progress"
        session.add(call)
    voicemail_url = webhook_urls.url(webhook_urls.RECORDING_PATH, kind="voicemail")
    return twiml.voicemail(greeting=GREETING, recording_status_callback=voicemail_url)


def _record_incoming(*, session: Session, params: Mapping[str, str], number) -> TwilioCall | None:
    """The ringing inbound call, so the ringing tabs can show it at once; None when the
    CallSid is already another tenant's (never ours to log or change)."""
    sid = params.get("CallSid", "")
    existing = session.exec(select(TwilioCall).where(TwilioCall.call_sid == sid)).first()
    if existing is not None:
        return existing if existing.workspace_id == number.workspace_id else None
    call = TwilioCall(
        workspace_id=number.workspace_id,
        number_id=number.id,
        call_sid=sid[:34],
        direction="inbound",
        from_number=params.get("From", "")[:64],
        to_number=number.phone_number,
        status="ringing",
        last_sequence=-1,
    )
    session.add(call)
    return call
