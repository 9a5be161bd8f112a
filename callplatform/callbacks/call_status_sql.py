"""The SQL of the status callback, the webhook's hot path.

Textual statements with typed parameters, compiled once per dialect and run at the
driver level (`DriverStatement`): building SQLAlchemy expressions per request cost more
than the database work itself (measured in benchmarks/bench_webhooks.py).
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from callplatform.driver_statements import DriverStatement
from callplatform.models import TwilioCall, WebhookEvent

_EVENTS, _CALLS = WebhookEvent.__table__, TwilioCall.__table__


def _sql(sql: str, *tables: sa.Table) -> DriverStatement:
    """A statement whose :params carry the column types (JSON, UTC timestamps)."""
    used = set(re.findall(r":(\w+)", sql))
    types = {col.key: col.type for table in tables for col in table.c if col.key in used}
    return DriverStatement(
        sa.text(sql).bindparams(*[sa.bindparam(k, type_=t) for k, t in types.items()])
    )


_EVENT_INSERT = (
    "INSERT INTO webhook_events (kind, dedupe_key, resource_sid, payload, received_at) "
    "VALUES (:kind, :dedupe_key, :resource_sid, :payload, :received_at) "
    "ON CONFLICT (dedupe_key) DO NOTHING"
)
INSERT_EVENT = _sql(_EVENT_INSERT, _EVENTS)
SELECT_CALL = DriverStatement(
    sa.text(
        "SELECT id, status, last_sequence, answered_at IS NOT NULL AS answered "
        "FROM twilio_calls WHERE call_sid = :sid AND workspace_id = :workspace_id"
    )
)
# The number a new call used, looked up inside its INSERT (one statement fewer per call).
_NUMBER_ID = (
    "(SELECT id FROM user_phone_numbers WHERE workspace_id = :workspace_id "
    "AND phone_number = :phone AND status != 'pending' LIMIT 1)"
)
# Who placed it, as the callback's URL names them: only a member of the signing
# workspace (else NULL), checked inside the same INSERT.
_HANDLER = (
    "(SELECT user_id FROM workspace_members WHERE workspace_id = :workspace_id "
    "AND user_id = :handled_by)"
)
CALL_COLUMNS = (
    "answered_at",
    "handled_by",
    "ended_at",
    "duration_seconds",
    "workspace_id",
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
_SUBQUERIES = {"number_id": _NUMBER_ID, "handled_by": _HANDLER}
_CALL_VALUES = ", ".join(_SUBQUERIES.get(c, ":" + c) for c in CALL_COLUMNS)
_CALL_INSERT = f"INSERT INTO twilio_calls ({', '.join(CALL_COLUMNS)}) "  # noqa: S608 - constants
INSERT_CALL = _sql(
    f"{_CALL_INSERT} VALUES ({_CALL_VALUES}) ON CONFLICT (call_sid) DO NOTHING RETURNING id",
    _CALLS,
)
# PostgreSQL stores a call's opening event and creates the call in one round trip (a
# data-modifying WITH): the call only if the event is new. `stored` says whether it was,
# `created` is the new call's id (NULL when the call already existed).
STORE_EVENT_AND_CREATE_CALL = _sql(
    f"WITH event AS ({_EVENT_INSERT} RETURNING 1), "  # noqa: S608 - constants
    f"created AS ({_CALL_INSERT} SELECT {_CALL_VALUES} "
    "WHERE EXISTS (SELECT 1 FROM event) ON CONFLICT (call_sid) DO NOTHING RETURNING id) "
    "SELECT EXISTS (SELECT 1 FROM event) AS stored, (SELECT id FROM created) AS created",
    _EVENTS,
    _CALLS,
)
_UPDATES: dict[tuple[str, ...], DriverStatement] = {}


def update_call(changes: dict) -> DriverStatement:
    """UPDATE twilio_calls SET <the changed columns> WHERE id = :id, made once per shape."""
    key = tuple(sorted(changes))
    if key not in _UPDATES:
        sets = ", ".join(f"{c} = :{c}" for c in key)
        # Column names come from this module's callers' code, never from the request.
        _UPDATES[key] = _sql(f"UPDATE twilio_calls SET {sets} WHERE id = :id", _CALLS)  # noqa: S608
    return _UPDATES[key]
