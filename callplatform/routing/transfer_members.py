"""Transfers to a teammate's browser (issue 18): the teammate's Voice SDK client is dialled
into the call's conference from the call's number (the workspace's subaccount rings their
browser); their softphone offers it (`offers_for`) and they take or decline it (`take`).
The teammate must be in the workspace the member acts in, not the member, and online; the
spend cap holds as for any call. Their leg is their call (handled by them), so their
softphone follows it and their history shows it."""

from __future__ import annotations

from sqlmodel import Session, select

from callplatform.billing import spend
from callplatform.calls import browser_calls, presence, voice_webhook
from callplatform.common import webhook_urls
from callplatform.common.errors import NotFound, ValidationError
from callplatform.common.phone_service import twilio_call
from callplatform.db import end_transaction
from callplatform.live import track
from callplatform.live.topics import CALLS
from callplatform.models import CallConference, User, WorkspaceMember
from callplatform.models.base import utcnow
from callplatform.routing import conference, transfer
from callplatform.telephony import gateway, sandbox_device
from callplatform.workspaces.access import Member


def client_of(user_id: int) -> str:
    return transfer.CLIENT + voice_webhook.identity_for(user_id)


def teammates(*, session: Session, member: Member) -> list[tuple[int, str]]:
    """(user id, name) of the others in the member's workspace, by name."""
    rows = session.exec(
        select(User)
        .join(WorkspaceMember, WorkspaceMember.user_id == User.id)
        .where(WorkspaceMember.workspace_id == member.workspace_id, User.id != member.user_id)
    ).all()
    named = [(u.id, transfer.name_of(session, u.id)) for u in rows]
    return sorted(named, key=lambda pair: pair[1].lower())


def dial_member(
    *, session: Session, member: Member, softphone_sid: str, user_id: int, mode: str
) -> None:
    """Ring a teammate's browser into the member's live call (transfer, consult, add)."""
    if mode not in transfer.MODES:
        raise ValidationError("Choose how to bring them in.", field="mode")
    known = conference.current(session=session, member=member, softphone_sid=softphone_sid)
    if known is not None and known.pending:
        raise ValidationError("Finish the transfer under way first.")
    number = transfer.call_number(session, member, softphone_sid)
    teammate = dict(teammates(session=session, member=member)).get(user_id)
    if teammate is None or isinstance(user_id, bool):
        raise ValidationError("Choose someone in your team.", field="to")
    if not presence.is_online(session=session, user_id=user_id):
        raise ValidationError(f"{teammate} isn't online.", field="to")
    spend.check_can_call(session=session, workspace_id=member.workspace_id, user_id=member.user_id)
    conf = conference.ready(
        session=session,
        conf=conference.ensure(session=session, member=member, softphone_sid=softphone_sid),
    )
    if mode != "add" and not conf.on_hold:
        transfer.set_hold(session, conf, True)
    creds = transfer.creds_of(session, conf)
    end_transaction(session)
    with twilio_call(field="to"):
        added = gateway.add_participant(
            creds,
            conference_sid=conf.conference_sid,
            from_=number.phone_number,
            to=client_of(user_id),
            label=mode,
            # The teammate's leg is their call: they follow it and see it in their history.
            status_callback=webhook_urls.url(conference.PARTICIPANT_STATUS_PATH, by=str(user_id)),
            end_conference_on_exit=False,
            timeout=transfer.RING_SECONDS,
        )
    conf.pending, conf.pending_sid, conf.pending_to = mode, added.call_sid, client_of(user_id)
    conf.pending_joined, conf.updated_at = False, utcnow()
    session.add(conf)
    transfer.note(session, conf, mode, teammate)
    track.announce(session, [user_id], CALLS)  # their softphone offers it now


def offers_for(*, session: Session, member: Member) -> list[CallConference]:
    """Calls being passed to this member right now (their browser rings)."""
    return list(
        session.exec(
            select(CallConference).where(
                CallConference.workspace_id == member.workspace_id,
                CallConference.pending_to == client_of(member.user_id),
                CallConference.pending != "",
                CallConference.pending_joined.is_(False),
                CallConference.status != "ended",
            )
        ).all()
    )


def take(*, session: Session, member: Member, conference_id: int, accept: bool) -> str:
    """Answer (or decline) a call offered to this member; the SID of their leg."""
    offered = {c.id: c for c in offers_for(session=session, member=member)}
    conf = offered.get(conference_id) if isinstance(conference_id, int) else None
    if conf is None or not conf.pending_sid:
        raise NotFound("That call is no longer waiting for you.")
    creds, sid = transfer.creds_of(session, conf), conf.pending_sid
    identity = voice_webhook.identity_for(member.user_id)
    end_transaction(session)
    with twilio_call():
        if not browser_calls.browser_places_calls():  # else their browser's SDK answers
            act = sandbox_device.answer if accept else sandbox_device.reject
            act(creds, call_sid=sid, identity=identity)
        elif not accept:
            gateway.hangup_call(creds, sid=sid)
    return sid


def offer_words(*, session: Session, conf: CallConference) -> str:
    """What the teammate's softphone says of a call offered to them."""
    who = transfer.name_of(session, conf.handled_by) or "A teammate"
    kind = {"consult": "wants to talk to you about", "add": "asks you to join"}.get(
        conf.pending, "is passing you"
    )
    return f"{who} {kind} a call"
