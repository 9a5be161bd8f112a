"""Idempotency keys for API operations that spend money (buying a number).

The first request with a key claims it (a committed row), runs, and stores its answer;
a retry with the same key and body gets that answer again, and a different body with
the same key is refused. A claim whose request failed is dropped, so a retry runs anew;
one left behind by a crash expires and may be run again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from callplatform.common.errors import ServiceError, ValidationError
from callplatform.models import IdempotencyKey
from callplatform.models.base import utcnow

MAX_KEY = 255
ABANDONED_AFTER = timedelta(minutes=5)


class KeyInUse(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            "A request with this Idempotency-Key is still running. Retry in a few seconds.",
            code="idempotency_in_progress",
        )


@dataclass(frozen=True)
class Claim:
    """Either a fresh claim (`key_id`) or the stored answer of an earlier request."""

    key_id: int | None = None
    status_code: int | None = None
    response: dict | None = None

    @property
    def is_replay(self) -> bool:
        return self.key_id is None


def fingerprint(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def claim(*, session: Session, owner_id: int, key: str, request_hash: str) -> Claim:
    """Claim `key` for this request (committed), or return the earlier answer."""
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise ValidationError(
            f"Send an Idempotency-Key header of 1 to {MAX_KEY} characters (a UUID is ideal).",
            field="Idempotency-Key",
        )
    row = session.exec(
        select(IdempotencyKey).where(IdempotencyKey.user_id == owner_id, IdempotencyKey.key == key)
    ).first()
    if row is not None:
        if row.request_hash != request_hash:
            raise ValidationError(
                "This Idempotency-Key was used with a different request. Use a new key.",
                field="Idempotency-Key",
            )
        if row.status_code is not None:
            return Claim(status_code=row.status_code, response=row.response)
        if row.created_at > utcnow() - ABANDONED_AFTER:
            raise KeyInUse()
        session.delete(row)  # abandoned by a crash: this request runs it again
        session.flush()
    row = IdempotencyKey(user_id=owner_id, key=key, request_hash=request_hash)
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # a concurrent retry claimed it first
        session.rollback()
        raise KeyInUse() from None
    return Claim(key_id=row.id)


def complete(*, session: Session, key_id: int, status_code: int, response: dict) -> None:
    row = session.get(IdempotencyKey, key_id)
    if row is not None:
        row.status_code, row.response = status_code, response
        session.add(row)


def release(*, session: Session, key_id: int) -> None:
    """The request failed without doing anything: let a retry run it."""
    row = session.get(IdempotencyKey, key_id)
    if row is not None:
        session.delete(row)
