"""Is the user's browser open? Tabs send a heartbeat; inbound calls ring only if one did
recently, otherwise the caller goes straight to voicemail."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from callplatform.models import ClientPresence
from callplatform.models.base import utcnow

ONLINE_WINDOW = timedelta(seconds=30)


def touch(*, session: Session, user_id: int) -> None:
    row = session.get(ClientPresence, user_id) or ClientPresence(user_id=user_id)
    row.last_seen_at = utcnow()
    session.add(row)


def is_online(*, session: Session, user_id: int) -> bool:
    row = session.get(ClientPresence, user_id)
    return row is not None and utcnow() - row.last_seen_at < ONLINE_WINDOW
