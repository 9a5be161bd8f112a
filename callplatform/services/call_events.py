"""Twilio's status and recording callbacks, applied so that nothing is lost or undone.

Every raw event is stored; a repeat (same call, sequence, status) is absorbed by a unique
key. A call's status only moves forward (by rank, then SequenceNumber) and never leaves a
final state, so callbacks may arrive in any order, any number of times.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from callplatform.models import (
    CostKind,
    NumberStatus,
    TwilioCall,
    TwilioRecording,
    UserPhoneNumber,
    WebhookEvent,
)
from callplatform.models.base import utcnow
from callplatform.services import costs, phone_format, subaccounts

FINAL = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
RANK = {"queued": 0, "initiated": 1, "ringing": 2, "in-progress": 3}


def rank(status: str) -> int:
    return 4 if status in FINAL else RANK.get(status, -1)


def _seq(params: Mapping[str, str]) -> int:
    try:
        return int(params.get("SequenceNumber", ""))
    except ValueError:
        return -1


def _when(params: Mapping[str, str]):
    try:
        return parsedate_to_datetime(params["Timestamp"])
    except (KeyError, TypeError, ValueError):
        return utcnow()


def store_event(*, session: Session, kind: str, key: str, sid: str, params) -> bool:
    """Keep the raw event; False when it was already stored (a retry or duplicate)."""
    try:
        with session.begin_nested():
            session.add(
                WebhookEvent(
                    kind=kind, dedupe_key=key[:200], resource_sid=sid[:34], payload=dict(params)
                )
            )
    except IntegrityError:
        return False
    return True


def _number_for(*, session: Session, user_id: int, e164: str) -> int | None:
    row = session.exec(
        select(UserPhoneNumber.id).where(
            UserPhoneNumber.user_id == user_id,
            UserPhoneNumber.phone_number == e164,
            UserPhoneNumber.status != NumberStatus.PENDING,
        )
    ).first()
    return row


def _get_or_create_call(*, session: Session, params: Mapping[str, str]) -> TwilioCall | None:
    sid = params.get("CallSid", "")
    call = session.exec(select(TwilioCall).where(TwilioCall.call_sid == sid)).first()
    if call is not None:
        return call
    user_id = subaccounts.find_user_id_by_account(
        session=session, account_sid=params.get("AccountSid", "")
    )
    if user_id is None or params.get("From", "").startswith("client:"):
        return None  # not ours, or the browser's own leg (its far end is the call we log)
    inbound = params.get("Direction", "") == "inbound"
    ours = params.get("To" if inbound else "From", "")
    call = TwilioCall(
        user_id=user_id,
        call_sid=sid[:34],
        parent_call_sid=params.get("ParentCallSid") or None,
        direction="inbound" if inbound else "outbound",
        from_number=params.get("From", "")[:64],
        to_number=params.get("To", "")[:64],
        status="queued",
        number_id=_number_for(session=session, user_id=user_id, e164=ours),
        started_at=_when(params),
    )
    try:
        with session.begin_nested():
            session.add(call)
    except IntegrityError:  # created concurrently by another callback
        return session.exec(select(TwilioCall).where(TwilioCall.call_sid == sid)).first()
    return call


def apply_status_callback(*, session: Session, params: Mapping[str, str]) -> TwilioCall | None:
    sid, status = params.get("CallSid", ""), params.get("CallStatus", "")
    if not sid or rank(status) < 0:
        return None
    key = f"status:{sid}:{params.get('SequenceNumber', '')}:{status}"
    if not store_event(session=session, kind="status", key=key, sid=sid, params=params):
        return None
    call = _get_or_create_call(session=session, params=params)
    if call is None:
        return None
    seq, old = _seq(params), call.status
    forward = rank(status) > rank(old) or (rank(status) == rank(old) and seq > call.last_sequence)
    if old not in FINAL and forward:
        call.status, call.last_sequence = status, max(seq, call.last_sequence)
        if status in FINAL:
            call.ended_at = _when(params)
    # Facts that hold whatever order the events came in: a late "answered" still dates
    # the answer, a repeated "completed" still carries the duration.
    if status == "in-progress" and call.answered_at is None:
        call.answered_at = _when(params)
    if status == call.status and status in FINAL and params.get("CallDuration", "").isdigit():
        call.duration_seconds = int(params["CallDuration"])
    call.updated_at = utcnow()
    session.add(call)
    return call


def set_call_price(*, session: Session, call: TwilioCall, price, unit: str) -> None:
    """Record Twilio's price for a finished call (once) and its ledger line."""
    if price is None or call.price is not None:
        return
    call.price, call.price_unit = abs(price), unit or "USD"
    other = call.to_number if call.direction == "outbound" else call.from_number
    session.add(call)
    session.flush()
    costs.record_cost(
        session=session,
        user_id=call.user_id,
        kind=CostKind.CALL,
        source_key=f"call:{call.call_sid}",
        twilio_cost=price,
        currency=call.price_unit,
        number_id=call.number_id,
        call_id=call.id,
        description=f"{call.direction.capitalize()} call with {phone_format.display(other)}",
    )


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
