"""Recording callbacks: each recording (or voicemail) kept once, tied to its call."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, select

from callplatform.models import TwilioCall, TwilioRecording
from callplatform.services import subaccounts
from callplatform.services.call_events import store_event


def apply_recording_callback(
    *, session: Session, params: Mapping[str, str], voicemail: bool = False
) -> TwilioRecording | None:
    rec_sid, call_sid = params.get("RecordingSid", ""), params.get("CallSid", "")
    if not rec_sid.startswith("RE"):
        return None
    key = f"recording:{rec_sid}:{params.get('RecordingStatus', '')}"
    if not store_event(session=session, kind="recording", key=key, sid=rec_sid, params=params):
        return None
    # Dial recordings name the parent (browser) leg; find the call we log either way.
    call = session.exec(
        select(TwilioCall).where(
            (TwilioCall.call_sid == call_sid) | (TwilioCall.parent_call_sid == call_sid)
        )
    ).first()
    user_id = (
        call.user_id
        if call
        else subaccounts.find_user_id_by_account(
            session=session, account_sid=params.get("AccountSid", "")
        )
    )
    if user_id is None:
        return None
    rec = session.exec(
        select(TwilioRecording).where(TwilioRecording.recording_sid == rec_sid)
    ).first()
    rec = rec or TwilioRecording(user_id=user_id, recording_sid=rec_sid, call_sid=call_sid[:34])
    rec.call_id = call.id if call else None
    rec.status = params.get("RecordingStatus", rec.status)[:16]
    rec.is_voicemail = rec.is_voicemail or voicemail
    if params.get("RecordingDuration", "").isdigit():
        rec.duration_seconds = int(params["RecordingDuration"])
    session.add(rec)
    return rec
