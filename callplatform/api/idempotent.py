"""Running a POST once per `Idempotency-Key`: the first request claims the key and its
answer is kept; a retry with the same key (and body) gets that answer back; a request
that failed with a service error lets go of its key, so a retry does the work again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Header
from fastapi.responses import JSONResponse
from sqlmodel import Session

from callplatform.api.schemas import NoControl
from callplatform.common import idempotency
from callplatform.common.errors import ServiceError
from callplatform.db import session_scope

IdempotencyKey = Annotated[
    str,
    Header(max_length=255, description="Any unique string (a UUID); a retry reuses it."),
    NoControl,
]


def run_once(
    *, owner_id: int, key: str, request: dict, work: Callable[[Session], dict], status: int = 201
) -> JSONResponse:
    """`work(session)` returns the answer's JSON, committed with the key's completion."""
    with session_scope() as session:
        claim = idempotency.claim(
            session=session, owner_id=owner_id, key=key,
            request_hash=idempotency.fingerprint(request),
        )  # fmt: skip
    if claim.is_replay:
        return JSONResponse(
            claim.response, status_code=claim.status_code, headers={"Idempotent-Replayed": "true"}
        )
    try:
        with session_scope() as session:
            payload = work(session)
            idempotency.complete(
                session=session, key_id=claim.key_id, status_code=status, response=payload
            )
    except ServiceError:
        with session_scope() as session:
            idempotency.release(session=session, key_id=claim.key_id)
        raise
    return JSONResponse(payload, status_code=status)
