"""The reconciliation sweep: re-read from Twilio what a lost callback would have told us.

Calls still open after a while, and finished calls or recordings still without a price,
are fetched from Twilio; status moves only forward, and prices become ledger lines. Runs
periodically (see callplatform.py) and is safe to run any number of times."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import literal
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from callplatform.billing import ledger
from callplatform.callbacks import call_status
from callplatform.common import phone_format
from callplatform.db import end_transaction
from callplatform.models import (
    UNSUCCESSFUL_STATUSES,
    CostItem,
    CostKind,
    TwilioCall,
    TwilioRecording,
)
from callplatform.models.base import utcnow
from callplatform.telephony import gateway
from callplatform.telephony.errors import NotFound, TelephonyError
from callplatform.tenancy import subaccounts

OPEN_AFTER = timedelta(minutes=5)
LEG_PRICED_WITHIN = timedelta(hours=1)  # Twilio prices a call within minutes
FAILED = UNSUCCESSFUL_STATUSES
BATCH = 200


def _fetched(session: Session, rows, fetch, sid_field: str):
    """Each row with its owner's credentials and what Twilio says of it now. No lock is
    held while Twilio answers; rows Twilio no longer has are skipped, and the sweep stops
    when Twilio is unreachable (the next one tries again)."""
    for row in rows:
        creds = subaccounts.get_credentials(session=session, workspace_id=row.workspace_id)
        end_transaction(session)
        try:
            info = fetch(creds, sid=getattr(row, sid_field))
        except NotFound:
            continue
        except TelephonyError:
            return
        yield row, creds, info


def _leg_unbilled():
    """A finished browser call whose other leg (its parent at Twilio) has no ledger line
    yet: Twilio may price that leg after the call itself. Asked about for a while only."""
    billed = select(CostItem.id).where(
        CostItem.source_key == literal("call:") + TwilioCall.parent_call_sid
    )
    return (
        TwilioCall.status.in_(call_status.FINAL)
        & (TwilioCall.direction == "outbound")
        & TwilioCall.parent_call_sid.is_not(None)
        & (TwilioCall.started_at > utcnow() - LEG_PRICED_WITHIN)
        & ~billed.exists()
        & ~_parent_logged().exists()
    )


def _parent_logged():
    """The call's parent is a call we log ourselves (a forwarded leg's inbound call): it
    is priced as its own call, never as this one's browser leg."""
    parent = aliased(TwilioCall)
    return select(parent.id).where(parent.call_sid == TwilioCall.parent_call_sid)


def reconcile_calls(*, session: Session, open_after: timedelta = OPEN_AFTER) -> int:
    cutoff = utcnow() - open_after
    rows = session.exec(
        select(TwilioCall)
        .where(
            ((TwilioCall.status.not_in(call_status.FINAL)) & (TwilioCall.started_at < cutoff))
            | ((TwilioCall.status.in_(call_status.FINAL)) & (TwilioCall.price.is_(None)))
            | _leg_unbilled()
        )
        # Newest first: rows Twilio never prices (or no longer has) can't keep a new call
        # waiting behind them round after round.
        .order_by(col(TwilioCall.id).desc())
        .limit(BATCH)
    ).all()
    fixed = 0
    for call, creds, info in _fetched(session, rows, gateway.fetch_call, "call_sid"):
        browser = info.status in call_status.FINAL and not _is_logged(session, call.parent_call_sid)
        leg = _browser_leg(call, creds) if browser else None
        call = session.get(TwilioCall, call.id)
        if call.status not in call_status.FINAL and info.status in call_status.FINAL:
            call.status, call.ended_at = info.status, call.ended_at or utcnow()
        if info.duration is not None and call.status in call_status.FINAL:
            call.duration_seconds = info.duration
        session.add(call)
        if call.status in call_status.FINAL:
            set_call_price(
                session=session, call=call, price=info.price, unit=info.price_unit or "USD"
            )
            if leg is not None:
                _record_leg(session=session, call=call, leg=leg)
        session.commit()
        fixed += 1
    return fixed


def _is_logged(session: Session, call_sid: str | None) -> bool:
    logged = select(TwilioCall.id).where(TwilioCall.call_sid == call_sid)
    return bool(call_sid) and session.exec(logged).first() is not None


def _browser_leg(call: TwilioCall, creds):
    """A browser call is two legs at Twilio (browser to Twilio, Twilio to the number); the
    log shows one call, the ledger bills both, so totals match Twilio's usage. Fetched
    before any write, so no lock is held while Twilio answers."""
    if not call.parent_call_sid or call.direction != "outbound":
        return None
    try:
        leg = gateway.fetch_call(creds, sid=call.parent_call_sid)
    except TelephonyError:
        return None  # priced on a later sweep (its source key makes it once only)
    return leg if leg.price is not None and leg.status in call_status.FINAL else None


def _record_leg(*, session: Session, call: TwilioCall, leg) -> None:
    ledger.record_cost(
        session=session,
        workspace_id=call.workspace_id,
        handled_by=call.handled_by,
        kind=CostKind.CALL,
        source_key=f"call:{leg.sid}",
        twilio_cost=leg.price,
        currency=leg.price_unit or "USD",
        number_id=call.number_id,
        call_id=call.id,
        further_leg=True,
        description=f"Browser leg of the call with {phone_format.display(call.to_number)}",
    )


def reconcile_recordings(*, session: Session) -> int:
    rows = session.exec(
        select(TwilioRecording)
        .where(TwilioRecording.price.is_(None), TwilioRecording.deleted_at.is_(None))
        .order_by(col(TwilioRecording.id).desc())
        .limit(BATCH)
    ).all()
    fixed = 0
    for rec, _creds, info in _fetched(session, rows, gateway.fetch_recording, "recording_sid"):
        if info.price is None:
            continue
        rec = session.get(TwilioRecording, rec.id)
        rec.price, rec.price_unit = abs(info.price), info.price_unit or "USD"
        session.add(rec)
        session.flush()
        ledger.record_cost(
            session=session,
            workspace_id=rec.workspace_id,
            handled_by=_handler(session, rec.call_id),
            kind=CostKind.RECORDING,
            source_key=f"recording:{rec.recording_sid}",
            twilio_cost=info.price,
            currency=rec.price_unit,
            recording_id=rec.id,
            call_id=rec.call_id,
            description=f"{'Voicemail' if rec.is_voicemail else 'Recording'}, "
            f"{rec.duration_seconds} s",
        )
        session.commit()
        fixed += 1
    return fixed


def _handler(session: Session, call_id: int | None) -> int | None:
    call = session.get(TwilioCall, call_id) if call_id else None
    return call.handled_by if call else None


def set_call_price(*, session: Session, call: TwilioCall, price, unit: str) -> None:
    """Record Twilio's price for a finished call (once) and its ledger line."""
    if price is None or call.price is not None:
        return
    call.price, call.price_unit = abs(price), unit or "USD"
    session.add(call)
    session.flush()
    ledger.record_cost(
        session=session,
        workspace_id=call.workspace_id,
        handled_by=call.handled_by,
        kind=CostKind.CALL,
        source_key=f"call:{call.call_sid}",
        twilio_cost=price,
        currency=call.price_unit,
        number_id=call.number_id,
        call_id=call.id,
        call_seconds=call.duration_seconds or 0,
        failed=call.status in FAILED,
        description=f"{call.direction.capitalize()} call with "
        f"{phone_format.display(call.other_party)}",
    )
