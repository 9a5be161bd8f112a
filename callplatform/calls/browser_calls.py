"""Calls the browser places and answers. With real Twilio the browser's Voice SDK places
and answers them itself (components/voice_device); in the sandbox, its stand-in does it
from here (telephony.sandbox_device). Either way the rules are checked here first, so
the UI can say why, and the voice webhook checks them again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, or_, select

from callplatform.calls import voice_webhook
from callplatform.common.errors import NotFound, ValidationError
from callplatform.common.phone_service import twilio_call
from callplatform.config import get_settings
from callplatform.db import end_transaction
from callplatform.history.visibility import call_conditions, sees_call
from callplatform.models import FINAL_STATUSES, TwilioCall, User
from callplatform.models.base import utcnow
from callplatform.telephony import gateway, sandbox_device
from callplatform.tenancy import subaccounts
from callplatform.workspaces.access import Member

FINAL = FINAL_STATUSES
_CALL_SID = re.compile(r"CA[0-9a-f]{32}")


def browser_places_calls() -> bool:
    """Real Twilio: the Voice SDK in the browser connects calls, not the server."""
    return not get_settings().uses_sandbox


@dataclass(frozen=True)
class Placement:
    """An outbound call cleared to go: the sandbox placed it (`call_sid`), or the
    browser's Voice SDK is to connect `to` from `caller_id` (`call_sid` empty)."""

    call_sid: str
    to: str
    caller_id: str


@dataclass(frozen=True)
class CallProgress:
    call_sid: str
    status: str
    duration_seconds: int | None
    answered_at: datetime | None


def start_call(*, session: Session, member: Member, caller_id: str, to: str) -> Placement:
    """Validate a browser call, and in the sandbox place it."""
    number, destination = voice_webhook.check_outbound_or_log(
        session=session, member=member, caller_id=caller_id, to=to
    )
    creds = subaccounts.get_credentials(session=session, workspace_id=member.workspace_id)
    if creds is None:
        raise ValidationError("Buy a number before placing calls.")
    subaccounts.ensure_twiml_app(session=session, workspace_id=member.workspace_id)
    end_transaction(session)
    if browser_places_calls():
        return Placement(call_sid="", to=destination, caller_id=number.phone_number)
    with twilio_call(fields={"To": "to", "From": "caller_id"}):
        sid = sandbox_device.connect(
            creds,
            identity=voice_webhook.identity_for(member.user_id),
            to=destination,
            caller_id=number.phone_number,
        )
    return Placement(call_sid=sid, to=destination, caller_id=number.phone_number)


def get_progress(*, session: Session, member: Member, call_sid: str) -> CallProgress | None:
    """Where a browser call stands: the far-end leg of an outbound call (its status
    callbacks create it), or the inbound call itself once answered."""
    row = session.exec(
        select(TwilioCall)
        .where(
            *call_conditions(member),
            or_(TwilioCall.parent_call_sid == call_sid, TwilioCall.call_sid == call_sid),
        )
        .order_by(col(TwilioCall.id).desc())
    ).first()
    if row is None:
        return None
    return CallProgress(
        call_sid=row.call_sid,
        status=row.status,
        duration_seconds=row.duration_seconds,
        answered_at=row.answered_at,
    )


def _call_sid(value) -> str:
    """A Twilio call SID, or NotFound: anything else is no call of anyone's, and never
    reaches a query or a Twilio URL."""
    if not isinstance(value, str) or not _CALL_SID.fullmatch(value):
        raise NotFound("That call isn't one of yours.")
    return value


def _own_call(*, session: Session, member: Member, call_sid: str) -> TwilioCall:
    sid = _call_sid(call_sid)
    row = session.exec(select(TwilioCall).where(TwilioCall.call_sid == sid)).first()
    if not sees_call(member, row):
        raise NotFound("That call isn't one of yours.")
    return row


def _workspace_creds(*, session: Session, member: Member, call_sid: str):
    """The workspace's credentials for acting on a live call: one of its calls the
    member sees (or a browser leg not logged yet, which only its own account can name)."""
    sid = _call_sid(call_sid)
    logged = session.exec(
        select(TwilioCall).where(
            TwilioCall.workspace_id == member.workspace_id,
            or_(TwilioCall.call_sid == sid, TwilioCall.parent_call_sid == sid),
        )
    ).first()
    creds = subaccounts.get_credentials(session=session, workspace_id=member.workspace_id)
    if creds is None or (logged is not None and not sees_call(member, logged)):
        raise NotFound("That call isn't one of yours.")
    return sid, creds


def hang_up(*, session: Session, member: Member, call_sid: str) -> None:
    call_sid, creds = _workspace_creds(session=session, member=member, call_sid=call_sid)
    end_transaction(session)
    with twilio_call():
        gateway.hangup_call(creds, sid=str(call_sid))


def ringing_calls(*, session: Session, member: Member) -> list[TwilioCall]:
    """Inbound calls the member sees ringing right now (nobody has answered them)."""
    return list(
        session.exec(
            select(TwilioCall)
            .where(
                *call_conditions(member),
                TwilioCall.direction == "inbound",
                TwilioCall.status == "ringing",
                TwilioCall.missed.is_(False),
                TwilioCall.handled_by.is_(None),
            )
            .order_by(col(TwilioCall.id).desc())
            .limit(5)
        )
    )


def answered_by_others(*, session: Session, member: Member, within_seconds: int = 15):
    """(call, who answered it) for calls that rang this member and someone else took in
    the last moments: what a shared number's other tabs show instead of ringing."""
    rows = session.exec(
        select(TwilioCall, User)
        .join(User, col(User.id) == TwilioCall.handled_by)
        .where(
            *call_conditions(member),
            TwilioCall.direction == "inbound",
            TwilioCall.handled_by != member.user_id,
            col(TwilioCall.answered_at) >= utcnow() - timedelta(seconds=within_seconds),
        )
        .order_by(col(TwilioCall.id).desc())
        .limit(3)
    ).all()
    return [(call, user.shown_name) for call, user in rows]


def answer(*, session: Session, member: Member, call_sid: str, accept: bool) -> None:
    """Answer (or decline) a call ringing this member's tabs. The first member to answer
    takes it: the claim is one conditional UPDATE, so two answering at once can't both
    win; the loser is told who has it."""
    row = _own_call(session=session, member=member, call_sid=call_sid)
    if accept:
        claimed = session.exec(
            update(TwilioCall)
            .where(col(TwilioCall.id) == row.id, col(TwilioCall.handled_by).is_(None))
            .values(handled_by=member.user_id)
        ).rowcount
        session.commit()
        session.refresh(row)
        if not claimed and row.handled_by != member.user_id:
            taker = session.get(User, row.handled_by) if row.handled_by else None
            name = taker.shown_name if taker else "someone"
            raise ValidationError(f"Answered by {name}.")
    creds = subaccounts.get_credentials(session=session, workspace_id=row.workspace_id)
    act = sandbox_device.answer if accept else sandbox_device.reject
    end_transaction(session)
    with twilio_call():
        if not browser_places_calls():  # else the browser's Voice SDK answers it
            act(creds, call_sid=row.call_sid, identity=voice_webhook.identity_for(member.user_id))
    row = session.get(TwilioCall, row.id)
    if accept:  # the browser knows it answered before Twilio says
        if row.status == "ringing":
            row.status = "in-progress"
        row.answered_at = row.answered_at or utcnow()
        row.updated_at = utcnow()  # announced to every tab it rang (`live.track`)
        session.add(row)


def send_digits(*, session: Session, member: Member, call_sid: str, digits: str) -> None:
    digits = "".join(ch for ch in str(digits) if ch in "0123456789*#")[:32]
    if not digits:
        return
    call_sid, creds = _workspace_creds(session=session, member=member, call_sid=call_sid)
    end_transaction(session)
    with twilio_call():
        sandbox_device.send_digits(creds, call_sid=str(call_sid), digits=digits)
