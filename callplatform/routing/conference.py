"""Moving a live softphone call into a Twilio conference, as Twilio recommends for hold
and transfer: the call's bridged child leg is updated with <Dial><Conference> TwiML, so
the parent leg's Dial ends and its action (`rejoin_twiml`) brings it into the same
conference. Outbound, the child is the callee (the customer); inbound, it is the browser's
leg and the parent is the caller. One `CallConference` row per moved call says which
leg is which; only a live call the acting member handles (placed or answered) in their
workspace is ever moved.

`ready` waits (in the worker thread the UI or API runs services in) until the conference
exists and the customer is in it: Twilio's Participants API needs both."""

from __future__ import annotations

import time

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from callplatform.calls import voice_webhook
from callplatform.common import webhook_urls
from callplatform.common.errors import (
    NotFound,
    PhoneServiceError,
    ValidationError,
)
from callplatform.common.phone_service import twilio_call
from callplatform.db import end_transaction
from callplatform.models import CallConference
from callplatform.routing import live_calls
from callplatform.telephony import gateway, twiml_conference
from callplatform.tenancy import subaccounts
from callplatform.workspaces.access import Member

EVENTS_PATH = "/api/twilio/conference/events"
REJOIN_PATH = voice_webhook.REJOIN_PATH
HOLD_MUSIC_PATH = "/api/twilio/conference/hold-music"
PARTICIPANT_STATUS_PATH = "/api/twilio/conference/participant-status"
READY_SECONDS = 15.0
LEG_LOOKS = 5
NOT_YOURS = live_calls.NOT_YOURS


def name_for(softphone_sid: str) -> str:
    return f"cp-{softphone_sid}"


def join_twiml(conf: CallConference, call_sid: str) -> str:
    """The conference TwiML for one of the call's two legs: the customer leaving ends it
    (nobody is left to talk to); the browser's leg may leave (a transfer)."""
    customer = call_sid == conf.customer_sid
    return twiml_conference.join_conference(
        name=conf.name,
        status_callback=webhook_urls.url(EVENTS_PATH),
        end_on_exit=customer,
        label="customer" if customer else "agent",
    )


def current(*, session: Session, member: Member, softphone_sid: str) -> CallConference | None:
    """The member's conference for that softphone call, unless it has ended."""
    return session.exec(
        select(CallConference).where(
            CallConference.workspace_id == member.workspace_id,
            CallConference.handled_by == member.user_id,
            CallConference.softphone_sid == softphone_sid,
            CallConference.status != "ended",
        )
    ).first()


def view(*, session: Session, member: Member, softphone_sid: str) -> CallConference | None:
    """What the softphone shows of its call's conference (read-only), or None."""
    if not live_calls.CALL_SID.fullmatch(softphone_sid or ""):
        return None
    return current(session=session, member=member, softphone_sid=softphone_sid)


def ensure(*, session: Session, member: Member, softphone_sid: str) -> CallConference:
    """The call's conference, moving the call into one first if it isn't yet."""
    conf = current(session=session, member=member, softphone_sid=softphone_sid)
    if conf is not None:
        return conf
    row = live_calls.live_call(session=session, member=member, softphone_sid=softphone_sid)
    creds = subaccounts.get_credentials(session=session, workspace_id=member.workspace_id)
    if creds is None:
        raise NotFound(NOT_YOURS)
    if row.call_sid == softphone_sid:  # inbound: the caller's call is the parent
        end_transaction(session)
        legs = _browser_leg(creds, softphone_sid)
        agent, customer, moved = legs[0].sid, softphone_sid, legs[0].sid
    elif row.parent_call_sid == softphone_sid:  # outbound: the callee is the browser's child
        agent, customer, moved = softphone_sid, row.call_sid, row.call_sid
    else:  # inbound, named by the browser's own leg (real Twilio's Voice SDK)
        agent, customer, moved = softphone_sid, row.call_sid, softphone_sid
    conf = CallConference(
        workspace_id=member.workspace_id,
        handled_by=member.user_id,
        number_id=row.number_id,
        account_sid=creds.sid,
        name=name_for(softphone_sid),
        softphone_sid=softphone_sid,
        customer_sid=customer,
        agent_sid=agent,
        rejoin_sid=agent if moved == customer else customer,
    )
    session.add(conf)
    try:
        end_transaction(session)  # the Dial's action must find it
    except IntegrityError:  # another tab moved it a moment ago
        session.rollback()
        found = current(session=session, member=member, softphone_sid=softphone_sid)
        if found is None:
            raise
        return found
    try:
        with twilio_call():
            gateway.move_call(creds, sid=moved, twiml=join_twiml(conf, moved))
    except PhoneServiceError as exc:  # not moved: a later try starts afresh
        conf.status = "ended"
        session.add(conf)
        end_transaction(session)
        if exc.code == "twilio_unavailable":
            raise
        raise ValidationError("The call isn't connected any more.") from exc
    return conf


def _browser_leg(creds, parent_sid: str) -> list:
    """The browser's leg of an inbound call; it starts a moment after the answer the
    softphone already shows, so it is looked for a few times."""
    for attempt in range(LEG_LOOKS):
        with twilio_call():
            legs = gateway.live_child_calls(creds, parent_sid=parent_sid)
        if legs:
            return legs
        time.sleep(0.2 * (attempt + 1))
    raise ValidationError("The call isn't connected.")


def ready(*, session: Session, conf: CallConference) -> CallConference:
    """Wait until the conference runs with the customer in it (its events say so)."""
    deadline = time.monotonic() + READY_SECONDS
    while True:
        session.refresh(conf)
        if conf.status == "ended":
            raise ValidationError("The call has ended.")
        if conf.conference_sid and conf.customer_sid in conf.present.split():
            return conf
        if time.monotonic() > deadline:
            raise ValidationError("The call could not be put in a conference. Try again.")
        end_transaction(session)
        time.sleep(0.1)


def rejoin_twiml(*, session: Session, params) -> str | None:
    """A Dial's action: the leg whose other half was moved joins its conference; None
    when the call was not moved (the usual end of a call). Only the signer's own."""
    conf = session.exec(
        select(CallConference).where(
            CallConference.rejoin_sid == params.get("CallSid", ""),
            CallConference.account_sid == params.get("AccountSid", ""),
            CallConference.status != "ended",
        )
    ).first()
    return None if conf is None else join_twiml(conf, conf.rejoin_sid)
