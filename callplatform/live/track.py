"""Announce what ORM sessions commit: the users whose calls, recordings or numbers a
session added, changed or deleted are gathered at each flush and published once the
commit has succeeded (nothing for a rollback). Statements that bypass the ORM (the status
callback's hot path) publish themselves."""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from callplatform.live import bus
from callplatform.live.topics import TOPIC_OF_NUMBER_TABLE, TOPIC_OF_TABLE

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
            for user_id in _who_sees(session, row.workspace_id, row.number_id):
                changed.setdefault(user_id, set()).add(topic)


# Asked inside the flush's transaction (after the commit no SQL may run on the session).
_AUDIENCE = text(
    "SELECT user_id FROM workspace_members WHERE workspace_id = :w AND (role IN "
    "('owner', 'admin') OR user_id IN (SELECT user_id FROM number_assignments "
    "WHERE number_id = :n))"
)


def _who_sees(session: Session, workspace_id: int, number_id: int) -> list[int]:
    key = (workspace_id, number_id)
    known = session.info.setdefault("live_audiences", {})
    if key not in known:
        rows = session.connection().execute(_AUDIENCE, {"w": workspace_id, "n": number_id})
        known[key] = [user_id for (user_id,) in rows]
    return known[key]


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
