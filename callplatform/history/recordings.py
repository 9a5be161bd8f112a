"""A workspace's recordings and voicemails, as far as the member sees their calls
(`visibility`): list, fetch the audio (through us, never a Twilio URL), delete at Twilio
while keeping the call's record and cost (admins, owners, or who handled the call)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from callplatform.common import ids
from callplatform.common.errors import NotFound, PermissionDenied
from callplatform.common.phone_service import as_service_error, twilio_call
from callplatform.db import end_transaction
from callplatform.history import visibility
from callplatform.models import TwilioCall, TwilioRecording
from callplatform.models.base import utcnow
from callplatform.telephony import gateway
from callplatform.telephony.errors import NotFound as TwilioNotFound
from callplatform.telephony.errors import TelephonyError
from callplatform.tenancy import subaccounts
from callplatform.workspaces.access import Member


def list_recordings(*, session: Session, member: Member, limit: int = 100):
    """(recording, the other party's number) pairs, newest first: who the user called,
    or who called them (empty when the call is unknown)."""
    rows = session.exec(
        select(TwilioRecording, TwilioCall)
        .join(TwilioCall, TwilioCall.id == TwilioRecording.call_id, isouter=True)
        .where(*visibility.recording_conditions(member), TwilioRecording.deleted_at.is_(None))
        .order_by(col(TwilioRecording.created_at).desc(), col(TwilioRecording.id).desc())
        .limit(min(limit, 200))
    ).all()
    return [(rec, call.other_party if call else "") for rec, call in rows]


def get_recording(*, session: Session, member: Member, recording_id: int) -> TwilioRecording:
    rec = session.get(TwilioRecording, recording_id) if ids.is_id(recording_id) else None
    if rec is None or rec.workspace_id != member.workspace_id or rec.deleted_at is not None:
        raise NotFound("That recording isn't one of yours.")
    call = session.get(TwilioCall, rec.call_id) if rec.call_id else None
    if not member.manages and not visibility.sees_call(member, call):
        raise NotFound("That recording isn't one of yours.")
    return rec


def get_media(*, session: Session, member: Member, recording_id: int) -> tuple[bytes, str]:
    rec = get_recording(session=session, member=member, recording_id=recording_id)
    creds = subaccounts.get_credentials(session=session, workspace_id=rec.workspace_id)
    end_transaction(session)
    try:
        return gateway.fetch_recording_media(creds, sid=rec.recording_sid)
    except TwilioNotFound:
        raise NotFound("That recording is no longer available.") from None
    except TelephonyError as exc:
        raise as_service_error(exc) from exc


def delete_recording(*, session: Session, member: Member, recording_id: int) -> None:
    rec = get_recording(session=session, member=member, recording_id=recording_id)
    call = session.get(TwilioCall, rec.call_id) if rec.call_id else None
    if not member.manages and (call is None or call.handled_by != member.user_id):
        raise PermissionDenied("Only an admin, or who took the call, can delete its recording.")
    creds = subaccounts.get_credentials(session=session, workspace_id=rec.workspace_id)
    end_transaction(session)
    with twilio_call():
        gateway.delete_recording(creds, sid=rec.recording_sid)  # already gone is fine
    rec = session.get(TwilioRecording, rec.id)
    rec.deleted_at = utcnow()
    session.add(rec)
