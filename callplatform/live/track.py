"""Announce what ORM sessions commit: the users who see the calls, recordings, numbers
or texts a session added, changed or deleted are gathered at each flush and published
once the commit has succeeded (nothing for a rollback). Statements that bypass the ORM
(the status callback's hot path) publish themselves, to `call_audience`."""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from callplatform.live import bus
from callplatform.live.topics import (
    TOPIC_OF_NUMBER_TABLE,
    TOPIC_OF_TABLE,
    TOPIC_OF_WORKSPACE_TABLE,
)
from callplatform.models import UserPhoneNumber

_KEY = "live_changes"


@event.listens_for(Session, "after_flush")
def _gather(session: Session, _context) -> None:
    changed = session.info.setdefault(_KEY, {})
    for row in chain(session.new, session.dirty, session.deleted):
        topic = TOPIC_OF_TABLE.get(type(row))
        user_id = getattr(row, "user_id", None)
        if topic and user_id:
            changed.setdefault(user_id, set()).add(topic)
        topic = TOPIC_OF_NUMBER_TABLE.get(type(row))
        if topic:
            number_id = row.id if isinstance(row, UserPhoneNumber) else row.number_id
            audience = _who_sees(session, row.workspace_id, number_id)
            handler = getattr(row, "handled_by", None)
            for user_id in [*audience, handler] if handler else audience:
                changed.setdefault(user_id, set()).add(topic)
        topic = TOPIC_OF_WORKSPACE_TABLE.get(type(row))
        if topic:
            for user_id in _who_sees(session, row.workspace_id, None, everyone=True):
                changed.setdefault(user_id, set()).add(topic)


# Asked inside the flush's transaction (after the commit no SQL may run on the session).
_AUDIENCE = text(
    "SELECT user_id FROM workspace_members WHERE workspace_id = :w AND (:everyone OR role IN "
    "('owner', 'admin') OR user_id IN (SELECT user_id FROM number_assignments "
    "WHERE number_id = :n))"
)
_CALL_AUDIENCE = text(
    "SELECT m.user_id FROM twilio_calls c JOIN workspace_members m "
    "ON m.workspace_id = c.workspace_id WHERE c.id = :call AND (m.role IN ('owner', 'admin') "
    "OR m.user_id = c.handled_by OR m.user_id IN (SELECT user_id FROM number_assignments "
    "WHERE number_id = c.number_id))"
)


def _who_sees(
    session: Session, workspace_id: int, number_id: int | None, *, everyone: bool = False
) -> list[int]:
    key = (workspace_id, number_id, everyone)
    known = session.info.setdefault("live_audiences", {})
    if key not in known:
        params = {"w": workspace_id, "n": number_id, "everyone": everyone}
        known[key] = [user_id for (user_id,) in session.connection().execute(_AUDIENCE, params)]
    return known[key]


def call_audience(connection, call_id: int) -> list[int]:
    """Who sees a call (for writers that bypass the ORM), asked in their transaction."""
    return [user_id for (user_id,) in connection.execute(_CALL_AUDIENCE, {"call": call_id})]


def announce(session: Session, user_ids, topic: str) -> None:
    """Tell `user_ids` that `topic` changed once this session commits (what no row of
    theirs says: a team's members changed for everyone in it)."""
    changed = session.info.setdefault(_KEY, {})
    for user_id in user_ids:
        changed.setdefault(user_id, set()).add(topic)


@event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    session.info.pop("live_audiences", None)
    for user_id, topics in session.info.pop(_KEY, {}).items():
        bus.publish(user_id, topics)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)
    session.info.pop("live_audiences", None)
