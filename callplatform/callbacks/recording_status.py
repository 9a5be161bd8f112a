"""Recording callbacks: each recording (or voicemail) kept once, tied to its call.

Like status callbacks, a recording callback only touches the recordings and calls of
the account whose token signed it: another tenant naming our RecordingSid or CallSid
neither moves our recording nor adds one to our call."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, select

from callplatform.callbacks.call_status import event_key, store_event
from callplatform.models import TwilioCall, TwilioRecording
from callplatform.tenancy import subaccounts


def apply_recording_callback(
    *, session: Session, params: Mapping[str, str], voicemail: bool = False
) -> TwilioRecording | None:
    rec_sid, call_sid = params.get("RecordingSid", ""), params.get("CallSid", "")
    if not rec_sid.startswith("RE"):
        return None
    key = event_key(
        "recording", params.get("AccountSid", ""), rec_sid, params.get("RecordingStatus", "")
    )
    if not store_event(session=session, kind="recording", key=key, sid=rec_sid, params=params):
        return None
    workspace_id = subaccounts.find_workspace_id_by_account(
        session=session, account_sid=params.get("AccountSid", "")
    )
    if workspace_id is None:
        return None
    # Dial recordings name the parent (browser) leg; find the call we log either way.
    call = session.exec(
        select(TwilioCall).where(
            TwilioCall.workspace_id == workspace_id,
            (TwilioCall.call_sid == call_sid) | (TwilioCall.parent_call_sid == call_sid),
        )
    ).first()
    rec = session.exec(
        select(TwilioRecording).where(TwilioRecording.recording_sid == rec_sid)
    ).first()
    if rec is not None and rec.workspace_id != workspace_id:
        return None  # another tenant's recording: not the signer's to change
    rec = rec or TwilioRecording(
        workspace_id=workspace_id, recording_sid=rec_sid, call_sid=call_sid[:34]
    )
    rec.call_id = call.id if call else None
    rec.status = params.get("RecordingStatus", rec.status)[:16]
    rec.is_voicemail = rec.is_voicemail or voicemail
    if params.get("RecordingDuration", "").isdigit():
        rec.duration_seconds = int(params["RecordingDuration"])
    session.add(rec)
    return rec
