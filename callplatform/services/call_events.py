"""Twilio's status and recording callbacks, applied so that nothing is lost or undone.

Every raw event is stored; a repeat (same call, sequence, status) is absorbed by a unique
key. A call's status only moves forward (by rank, then SequenceNumber) and never leaves a
final state, so callbacks may arrive in any order, any number of times.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session

from callplatform.driver_statements import DriverStatement
from callplatform.models import (
    TwilioCall,
    WebhookEvent,
)
from callplatform.models.base import utcnow
from callplatform.services import subaccounts

FINAL = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
RANK = {"queued": 0, "initiated": 1, "ringing": 2, "in-progress": 3}
# Statuses that open a call's life: its row almost never exists yet, so the insert is
# tried first (it applies on top of the row if one does exist).
_OPENING = frozenset({"queued", "initiated"})


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


# The status callback is the webhook's hot path. It runs a handful of textual statements
# with typed parameters: building SQLAlchemy expressions per request cost more than the
# database work itself (measured in benchmarks/bench_webhooks.py).
_EVENTS, _CALLS = WebhookEvent.__table__, TwilioCall.__table__


def _sql(sql: str, table) -> DriverStatement:
    """A statement whose :params carry the column types (JSON, UTC timestamps)."""
    used = set(re.findall(r":(\w+)", sql))
    return DriverStatement(
        sa.text(sql).bindparams(
            *[sa.bindparam(col.key, type_=col.type) for col in table.c if col.key in used]
        )
    )


_INSERT_EVENT = _sql(
    "INSERT INTO webhook_events (kind, dedupe_key, resource_sid, payload, received_at) "
    "VALUES (:kind, :dedupe_key, :resource_sid, :payload, :received_at) "
    "ON CONFLICT (dedupe_key) DO NOTHING",
    _EVENTS,
)
_SELECT_CALL = DriverStatement(
    sa.text(
        "SELECT id, status, last_sequence, answered_at IS NOT NULL AS answered "
        "FROM twilio_calls WHERE call_sid = :sid"
    )
)
# The number a new call used, looked up inside its INSERT (one statement fewer per call).
_NUMBER_ID = (
    "(SELECT id FROM user_phone_numbers WHERE user_id = :user_id AND phone_number = :phone "
    "AND status != 'pending' LIMIT 1)"
)
_CALL_COLUMNS = (
    "answered_at",
    "ended_at",
    "duration_seconds",
    "user_id",
    "call_sid",
    "number_id",
    "parent_call_sid",
    "direction",
    "from_number",
    "to_number",
    "status",
    "last_sequence",
    "missed",
    "started_at",
    "price_unit",
    "updated_at",
)
_INSERT_CALL = _sql(
    f"INSERT INTO twilio_calls ({', '.join(_CALL_COLUMNS)}) "  # noqa: S608 - constant names
    f"VALUES ({', '.join(_NUMBER_ID if c == 'number_id' else ':' + c for c in _CALL_COLUMNS)}) "
    "ON CONFLICT (call_sid) DO NOTHING RETURNING id",
    _CALLS,
)
_UPDATES: dict[tuple[str, ...], DriverStatement] = {}


def _update(changes: dict) -> DriverStatement:
    key = tuple(sorted(changes))
    if key not in _UPDATES:
        sets = ", ".join(f"{c} = :{c}" for c in key)
        # Column names come from this module's own code, never from the request.
        _UPDATES[key] = _sql(f"UPDATE twilio_calls SET {sets} WHERE id = :id", _CALLS)  # noqa: S608
    return _UPDATES[key]


def store_event(*, session: Session | Connection, kind: str, key: str, sid: str, params) -> bool:
    """Keep the raw event; False when it was already stored (a retry or duplicate)."""
    result = _INSERT_EVENT.execute(
        session,
        {
            "kind": kind,
            "dedupe_key": key[:200],
            "resource_sid": sid[:34],
            "payload": dict(params),
            "received_at": utcnow(),
        },
    )
    return result.rowcount == 1


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
    if status == "in-progress" and not row.answered:
        changes["answered_at"] = _when(params)
    final_status = changes.get("status", row.status)
    if status == final_status and status in FINAL and params.get("CallDuration", "").isdigit():
        changes["duration_seconds"] = int(params["CallDuration"])
    return changes


def _create_call(*, session: Session | Connection, params: Mapping[str, str], status: str):
    """Insert the call from its first callback, already in the state it describes; its
    id, or None if it isn't a call we log or another callback created it first."""
    user_id = subaccounts.find_user_id_by_account(
        session=session, account_sid=params.get("AccountSid", "")
    )
    if user_id is None or params.get("From", "").startswith("client:"):
        return None  # not ours, or the browser's own leg (its far end is the call we log)
    inbound = params.get("Direction", "") == "inbound"
    values = {
        "user_id": user_id,
        "call_sid": params["CallSid"][:34],
        "phone": params.get("To" if inbound else "From", ""),
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
    created = _INSERT_CALL.execute(session, values).scalar()
    if created is not None:
        return created
    # A concurrent first callback created it a moment ago: apply this one on top.
    return _apply(
        session, _SELECT_CALL.execute(session, {"sid": values["call_sid"]}).first(), params, status
    )


def _apply(session: Session | Connection, row, params: Mapping[str, str], status: str) -> int:
    changes = _changes(row, params, status)
    _update(changes).execute(session, {**changes, "id": row.id})
    return row.id


def apply_status_callback(
    *, session: Session | Connection, params: Mapping[str, str]
) -> int | None:
    """Apply one status callback; the call's id, or None when there is nothing to log.
    Takes an ORM session or, on the hot path, a plain connection."""
    sid, status = params.get("CallSid", ""), params.get("CallStatus", "")
    if not sid or rank(status) < 0:
        return None
    key = f"status:{sid}:{params.get('SequenceNumber', '')}:{status}"
    if not store_event(session=session, kind="status", key=key, sid=sid, params=params):
        return None
    if status in _OPENING:  # a call's first callback: insert first, no lookup
        created = _create_call(session=session, params=params, status=status)
        if created is not None:
            return created
    row = _SELECT_CALL.execute(session, {"sid": sid}).first()
    if row is None:
        return (
            None
            if status in _OPENING
            else _create_call(session=session, params=params, status=status)
        )
    return _apply(session, row, params, status)
