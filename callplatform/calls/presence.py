"""Is the user's browser open? Each worker marks the users of the tabs it holds (a page
load, then every few seconds: `state/live.py`); inbound calls ring only if one was marked
recently, otherwise the caller goes straight to voicemail."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from callplatform.models import ClientPresence
from callplatform.models.base import utcnow

ONLINE_WINDOW = timedelta(seconds=30)


def touch(*, session: Session, user_id: int) -> None:
    row = session.get(ClientPresence, user_id) or ClientPresence(user_id=user_id)
    row.last_seen_at = utcnow()
    session.add(row)


def touch_many(*, session: Session, user_ids: list[int]) -> None:
    """Mark every user with an open tab present, in one statement (the live hub does this
    for its tabs; a tab itself sends nothing while idle)."""
    if not user_ids:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    now = utcnow()
    insert = dialect.insert(ClientPresence).values(
        [{"user_id": user_id, "last_seen_at": now} for user_id in sorted(set(user_ids))]
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["user_id"], set_={"last_seen_at": insert.excluded.last_seen_at}
        )
    )


def is_online(*, session: Session, user_id: int) -> bool:
    row = session.get(ClientPresence, user_id)
    return row is not None and utcnow() - row.last_seen_at < ONLINE_WINDOW
