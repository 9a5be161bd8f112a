"""Hold, resume and transfers on the acting member's live softphone call (issue 18), on the
conference the call is moved into (`conference`): the customer held with music; a number
dialled in to take the call (`transfer`: the user leaves once it answers), to talk to
first while the customer waits on hold (`consult`: then `connect` or `return_to_caller`),
or to join the two of them (`add`). A number dialled in passes the same destination rules,
spend cap and attempt limit as an outgoing call, from the call's own number, and is billed
to the workspace like one (its status callbacks log it, handled by the member). Each
step goes on the call's path."""

from __future__ import annotations

from sqlmodel import Session

from callplatform.billing import spend
from callplatform.calls import voice_webhook
from callplatform.common import webhook_urls
from callplatform.common.errors import NotFound, ValidationError
from callplatform.common.phone_format import display
from callplatform.common.phone_service import twilio_call
from callplatform.db import end_transaction
from callplatform.models import CallConference, User, UserPhoneNumber
from callplatform.models.base import utcnow
from callplatform.routing import conference, live_calls, path
from callplatform.telephony import gateway
from callplatform.tenancy import subaccounts
from callplatform.workspaces.access import Member

MODES = ("transfer", "consult", "add")
CLIENT = "client:"  # a teammate's browser (routing/transfer_members.py)
RING_SECONDS = 30


def creds_of(session: Session, conf: CallConference):
    creds = subaccounts.get_credentials(session=session, workspace_id=conf.workspace_id)
    if creds is None or creds.sid != conf.account_sid:
        raise NotFound(conference.NOT_YOURS)
    return creds


def name_of(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return "" if user is None else user.shown_name


def party_words(session: Session, to: str) -> str:
    """Who a dialled party is, in words: a teammate's name, else the number."""
    if to.startswith(CLIENT):
        return name_of(session, voice_webhook.user_id_of_identity(to)) or "a teammate"
    return display(to) if to else ""


def note(session: Session, conf: CallConference, kind: str, detail: str = "") -> None:
    """One step on the call's path (shown in its detail)."""
    if conf.number_id is not None:
        path.record(session=session, number_id=conf.number_id, call_sid=conf.customer_sid,
                    kind=kind, detail=detail)  # fmt: skip


def set_hold(session: Session, conf: CallConference, on: bool) -> None:
    """Hold the customer (they hear our hold music) or take them off hold."""
    creds = creds_of(session, conf)
    end_transaction(session)
    with twilio_call():
        gateway.hold_participant(
            creds,
            conference_sid=conf.conference_sid,
            call_sid=conf.customer_sid,
            hold=on,
            hold_url=webhook_urls.url(conference.HOLD_MUSIC_PATH),
        )
    conf.on_hold, conf.updated_at = on, utcnow()
    session.add(conf)
    note(session, conf, "hold" if on else "resume")


def hold(*, session: Session, member: Member, softphone_sid: str, on: bool) -> None:
    """Put the customer of the member's live call on hold, or resume."""
    if on:
        conf = conference.ensure(session=session, member=member, softphone_sid=softphone_sid)
    else:
        conf = conference.current(session=session, member=member, softphone_sid=softphone_sid)
        if conf is None:
            live_calls.live_call(session=session, member=member, softphone_sid=softphone_sid)
            return  # never held: nothing to resume
    conf = conference.ready(session=session, conf=conf)
    if conf.on_hold != on:
        set_hold(session, conf, on)


def dial_in(*, session: Session, member: Member, softphone_sid: str, to: str, mode: str) -> None:
    """Dial `to` into the member's live call: to take it over, to consult, or to join."""
    if mode not in MODES:
        raise ValidationError("Choose how to bring them in.", field="mode")
    known = conference.current(session=session, member=member, softphone_sid=softphone_sid)
    if known is not None and known.pending:
        raise ValidationError("Finish the transfer under way first.")
    number = call_number(session, member, softphone_sid)
    _, destination = voice_webhook.check_outbound_or_log(
        session=session, member=member, caller_id=number.phone_number, to=to
    )
    spend.record_attempt(session=session, workspace_id=member.workspace_id)
    conf = conference.ensure(session=session, member=member, softphone_sid=softphone_sid)
    conf = conference.ready(session=session, conf=conf)
    if mode != "add" and not conf.on_hold:
        set_hold(session, conf, True)
    creds = creds_of(session, conf)
    end_transaction(session)
    with twilio_call(field="to"):
        added = gateway.add_participant(
            creds,
            conference_sid=conf.conference_sid,
            from_=number.phone_number,
            to=destination,
            label=mode,
            # Its leg is the member's call: the callbacks' signed URL says who placed it.
            status_callback=webhook_urls.url(
                conference.PARTICIPANT_STATUS_PATH, by=str(member.user_id)
            ),
            end_conference_on_exit=False,
            timeout=RING_SECONDS,
        )
    conf.pending, conf.pending_sid, conf.pending_to = mode, added.call_sid, destination
    conf.pending_joined, conf.updated_at = False, utcnow()
    session.add(conf)
    note(session, conf, mode, display(destination))


def call_number(session: Session, member: Member, softphone_sid: str) -> UserPhoneNumber:
    """The number the call is on (the outgoing rules check the member may use it)."""
    row = live_calls.live_call(session=session, member=member, softphone_sid=softphone_sid)
    number = session.get(UserPhoneNumber, row.number_id) if row.number_id else None
    if number is None or number.workspace_id != member.workspace_id:
        raise ValidationError("This call's number can't place calls.")
    return number


def _pending(session: Session, member: Member, softphone_sid: str, mode: str) -> CallConference:
    conf = conference.current(session=session, member=member, softphone_sid=softphone_sid)
    if conf is None or conf.pending != mode or not conf.pending_sid:
        raise ValidationError("There is nobody waiting to be connected.")
    return conf


def connect(*, session: Session, member: Member, softphone_sid: str) -> None:
    """After a consultation: the customer and the colleague talk; the member leaves."""
    conf = _pending(session, member, softphone_sid, "consult")
    if not conf.pending_joined:
        raise ValidationError("They haven't answered yet.")
    hand_over(session, conf)


def hand_over(session: Session, conf: CallConference) -> None:
    """The customer comes off hold and the user's leg leaves the conference."""
    creds = creds_of(session, conf)
    if conf.on_hold:
        set_hold(session, conf, False)
    end_transaction(session)
    with twilio_call():
        gateway.remove_participant(creds, conference_sid=conf.conference_sid,
                                   call_sid=conf.agent_sid)  # fmt: skip
    conf.agent_left, conf.pending, conf.updated_at = True, "", utcnow()
    session.add(conf)
    note(session, conf, "handed", party_words(session, conf.pending_to))


def return_to_caller(*, session: Session, member: Member, softphone_sid: str) -> None:
    """Call off a transfer or consultation: the new party's leg ends, the customer is
    back with the user."""
    conf = conference.current(session=session, member=member, softphone_sid=softphone_sid)
    if conf is None or not conf.pending_sid:
        raise ValidationError("There is nobody to hang up on.")
    creds, sid, joined = creds_of(session, conf), conf.pending_sid, conf.pending_joined
    end_transaction(session)
    with twilio_call():
        if joined:  # out of the conference, its call has nothing left to do: it ends
            gateway.remove_participant(creds, conference_sid=conf.conference_sid, call_sid=sid)
        else:  # still ringing
            gateway.hangup_call(creds, sid=sid)
    conf.pending, conf.pending_sid, conf.updated_at = "", None, utcnow()
    session.add(conf)
    note(session, conf, "returned")
    if conf.on_hold:
        set_hold(session, conf, False)
