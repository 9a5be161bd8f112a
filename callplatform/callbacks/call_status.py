"""Twilio's status and recording callbacks, applied so that nothing is lost or undone.

Every raw event is stored; a repeat (same account, call, sequence, status) is absorbed
by a unique key. A call's status only moves forward (by rank, then SequenceNumber) and
never leaves a final state, so callbacks may arrive in any order, any number of times.

A callback only touches the calls of the account whose token signed it (its AccountSid,
checked by `api/signed`): another tenant naming our CallSid changes nothing, and its
events live under its own keys so they cannot pre-empt ours as "duplicates".
"""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from sqlalchemy.engine import Connection
from sqlmodel import Session

from callplatform.callbacks import call_status_sql as sql
from callplatform.driver_statements import connection_of
from callplatform.models import FINAL_STATUSES, CallStatus
from callplatform.models.base import utcnow
from callplatform.tenancy import subaccounts

FINAL = FINAL_STATUSES
# How far along a call is; every final status ranks last (4).
RANK = {
    CallStatus.QUEUED: 0,
    CallStatus.INITIATED: 1,
    CallStatus.RINGING: 2,
    CallStatus.IN_PROGRESS: 3,
}
# Statuses that open a call's life: its row almost never exists yet, so the insert is
# tried first (this callback applies on top of the row if one does exist).
_OPENING = frozenset({CallStatus.QUEUED, CallStatus.INITIATED})


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


def store_event(*, session: Session | Connection, kind: str, key: str, sid: str, params) -> bool:
    """Keep the raw event; False when it was already stored (a retry or duplicate)."""
    event = _event(kind=kind, key=key, sid=sid, params=params)
    return sql.INSERT_EVENT.execute(session, event).rowcount == 1


def _event(*, kind: str, key: str, sid: str, params) -> dict:
    return {
        "kind": kind,
        "dedupe_key": key[:200],
        "resource_sid": sid[:34],
        "payload": dict(params),
        "received_at": utcnow(),
    }


class _NewCall:
    """The state a call is in before its first callback is applied."""

    status, last_sequence, answered = "queued", -1, False


def _changes(row, params: Mapping[str, str], status: str) -> dict:
    """What this callback changes on a call in state `row` (pure: order-independent)."""
    seq, changes = _seq(params), {"updated_at": utcnow()}
    forward = rank(status) > rank(row.status) or (
        rank(status) == rank(row.status) and seq > row.last_sequence
    )
    if row.status not in FINAL and forward:
        changes.update(status=status, last_sequence=max(seq, row.last_sequence))
        if status in FINAL:
            changes["ended_at"] = _when(params)
    # Facts that hold whatever order the events came in: a late "answered" still dates
    # the answer, a repeated "completed" still carries the duration.
    if status == CallStatus.IN_PROGRESS and not row.answered:
        changes["answered_at"] = _when(params)
    final_status = changes.get("status", row.status)
    if status == final_status and status in FINAL and params.get("CallDuration", "").isdigit():
        changes["duration_seconds"] = int(params["CallDuration"])
    return changes


def event_key(kind: str, account_sid: str, *parts: str) -> str:
    """A raw event's dedupe key, scoped to the account that signed it."""
    return ":".join((kind, account_sid, *parts))


def signer_of(*, session: Session | Connection, params: Mapping[str, str]) -> int | None:
    """The workspace whose subaccount signed this callback (None: not one of ours). Cached."""
    return subaccounts.find_workspace_id_by_account(
        session=session, account_sid=params.get("AccountSid", "")
    )


def _new_call(
    *, workspace_id: int | None, params: Mapping[str, str], status: str, handled_by=None, line=""
):
    """The row a call's first callback creates, already in the state it describes; None
    if it isn't a call we log. `handled_by`: the member who placed it, as the callback's
    signed URL names them (the INSERT keeps only a member of the signing workspace); `line`: the
    workspace's number it belongs to when its caller ID is another (a forwarded leg
    showing the caller's number), from the same signed URL."""
    if workspace_id is None or params.get("From", "").startswith("client:"):
        return None  # not ours, or the browser's own leg (its far end is the call we log)
    inbound = params.get("Direction", "") == "inbound"
    return {
        "workspace_id": workspace_id,
        "handled_by": handled_by,
        "call_sid": params["CallSid"][:34],
        "phone": line or params.get("To" if inbound else "From", ""),
        "parent_call_sid": params.get("ParentCallSid") or None,
        "direction": "inbound" if inbound else "outbound",
        "from_number": params.get("From", "")[:64],
        "to_number": params.get("To", "")[:64],
        "status": "queued",
        "last_sequence": -1,
        "missed": False,
        "started_at": _when(params),
        "price_unit": "USD",
        "answered_at": None,
        "ended_at": None,
        "duration_seconds": None,
        **_changes(_NewCall, params, status),
    }


def _store(*, session, event: dict, new_call: dict | None) -> tuple[bool, int | None]:
    """Keep the raw event and, if it is new, create the call: (stored, created call id)."""
    if new_call is not None and connection_of(session).dialect.name == "postgresql":
        row = sql.STORE_EVENT_AND_CREATE_CALL.execute(session, {**event, **new_call}).one()
        return row.stored, row.created
    if sql.INSERT_EVENT.execute(session, event).rowcount != 1:
        return False, None
    return True, None if new_call is None else sql.INSERT_CALL.execute(session, new_call).scalar()


def _apply_to_existing(session, params: Mapping[str, str], status: str, workspace_id: int | None):
    """Apply the callback to its call's row (the signer's own); the call's id, or None if
    there is no such row."""
    if workspace_id is None:
        return None
    row = sql.SELECT_CALL.execute(
        session, {"sid": params["CallSid"], "workspace_id": workspace_id}
    ).first()
    if row is None:
        return None
    changes = _changes(row, params, status)
    sql.update_call(changes).execute(session, {**changes, "id": row.id})
    return row.id


def apply_status_callback(
    *,
    session: Session | Connection,
    params: Mapping[str, str],
    handled_by: int | None = None,
    line: str = "",
) -> int | None:
    """Apply one status callback; the call's id, or None when there is nothing to log.
    Takes an ORM session or, on the hot path, a plain connection. `handled_by`: who
    placed the call, when the callback's URL says."""
    sid, status = params.get("CallSid", ""), params.get("CallStatus", "")
    if not sid or rank(status) < 0:
        return None
    key = event_key(
        "status", params.get("AccountSid", ""), sid, params.get("SequenceNumber", ""), status
    )
    event = _event(kind="status", key=key, sid=sid, params=params)
    workspace_id = signer_of(session=session, params=params)
    # A call's opening callback almost always comes first: create the call at once.
    opening = status in _OPENING
    new_call = (
        _new_call(
            workspace_id=workspace_id,
            params=params,
            status=status,
            handled_by=handled_by,
            line=line,
        )
        if opening
        else None
    )
    stored, created = _store(session=session, event=event, new_call=new_call)
    if not stored:
        return None  # a retry or duplicate: already applied
    if created is not None:
        return created
    # A later callback (or a concurrent first one) created it: apply this one on top.
    applied = _apply_to_existing(session, params, status, workspace_id)
    if applied is not None or opening:
        return applied  # opening and still no row: not a call we log
    # A later status came first: it creates the call.
    new_call = _new_call(
        workspace_id=workspace_id, params=params, status=status, handled_by=handled_by, line=line
    )
    if new_call is None:
        return None
    created = sql.INSERT_CALL.execute(session, new_call).scalar()
    if created is not None:
        return created
    # A concurrent first callback created it a moment ago (or the SID is another
    # tenant's, and then nothing of theirs is found or changed).
    return _apply_to_existing(session, params, status, workspace_id)
