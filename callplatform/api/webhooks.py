"""Twilio's webhooks: voice (TwiML), status and recording callbacks (texts: `webhooks_messages`).

Each is signature-checked (403 otherwise, nothing changed), applied in one transaction,
and acknowledged only after the commit; a database failure answers 503 so Twilio
retries. The database work runs in a worker thread (plain `def` routes, FastAPI's pool;
the status fast path hands it over itself): the event loop also serves every open tab,
and a callback waiting on a busy database must not stall them.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from starlette.routing import Route

from callplatform import live
from callplatform.api.signed import signed_params, verified_params
from callplatform.callbacks import call_status, recording_status
from callplatform.calls import click_to_call, voice_webhook
from callplatform.common import ids, webhook_urls
from callplatform.db import get_engine, session_scope
from callplatform.live import track
from callplatform.routing import callbacks as routing
from callplatform.routing import conference
from callplatform.telephony import twiml

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
XML = "application/xml"
UNAVAILABLE = Response(status_code=503, headers={"Retry-After": "1"})
NO_CONTENT = Response(status_code=204)
FORBIDDEN = Response(status_code=403)
MAX_CALLBACK_BYTES = 64 * 1024  # Twilio's status callbacks are a few hundred bytes


def _twiml(body: str) -> Response:
    return Response(content=body, media_type=XML)


def _answer_with_twiml(build, params: dict) -> Response:
    """TwiML from `build(session=..., params=...)`, committed before it is returned."""
    try:
        with session_scope() as session:
            return _twiml(build(session=session, params=params))
    except SQLAlchemyError:
        log.exception("voice webhook: database unavailable")
        return UNAVAILABLE


@router.post(webhook_urls.VOICE_PATH)
def voice(params: dict = Depends(verified_params)) -> Response:
    # Routing (issue 18): a number with a routing document answers calls by it.
    return _answer_with_twiml(
        functools.partial(voice_webhook.voice_twiml, route_planner=routing.plan_for), params
    )


@router.post(voice_webhook.DIAL_RESULT_PATH)
def dial_result(params: dict = Depends(verified_params)) -> Response:
    # Hold and transfer: a caller whose browser leg was moved joins the same conference.
    return _answer_with_twiml(
        lambda session, params: (
            conference.rejoin_twiml(session=session, params=params)
            or voice_webhook.dial_result_twiml(session=session, params=params)
        ),
        params,
    )


@router.post(click_to_call.CONNECT_PATH)
def connect(request: Request, params: dict = Depends(verified_params)) -> Response:
    """Click-to-call: the user answered their phone; the signed URL names the destination."""
    to, by = request.query_params.get("to", ""), request.query_params.get("by", "")
    return _answer_with_twiml(
        lambda session, params: click_to_call.connect_twiml(
            session=session, params=params, to=to, by=by
        ),
        params,
    )


@router.post(voice_webhook.NOTICE_PATH)
async def recording_notice(params: dict = Depends(verified_params)) -> Response:
    """Played to the called party of a recorded call before it connects."""
    return _twiml(twiml.notice())


async def status(request: Request) -> Response:
    """The hot path, served as a bare Starlette route ahead of every other layer (see
    `StatusFastPath`): no dependency injection, and a plain connection rather than an
    ORM session (benchmarks/bench_webhooks.py)."""
    if int(request.headers.get("content-length") or 0) > MAX_CALLBACK_BYTES:
        return Response(status_code=413)
    params = await signed_params(request)
    if params is None:
        return FORBIDDEN
    # Who placed the call, in the URL our TwiML gave Twilio (signed with the rest).
    by, line = request.query_params.get("by", ""), request.query_params.get("line", "")
    handled_by = ids.as_id(by)
    # The context goes along, as asyncio.to_thread would carry it.
    run = contextvars.copy_context().run
    return await asyncio.get_running_loop().run_in_executor(
        _writers(), run, _apply_status, params, handled_by, line[:20]
    )


# Status callbacks write on threads of their own, not on Starlette's shared pool: SQLite
# takes one writer at a time and a writer waiting for its lock sleeps between retries
# (busy timeout), so one thread queues them instead; PostgreSQL overlaps transactions.
WRITER_THREADS = {"sqlite": 1}
DEFAULT_WRITER_THREADS = 8  # under the engine's pool of 10
_writer_pools: dict[str, ThreadPoolExecutor] = {}
# A pool's threads do not survive a fork: the child's copy would queue every callback
# forever. A forked process (a mutation run forks one per mutant) starts pools anew.
os.register_at_fork(after_in_child=_writer_pools.clear)


def _writers() -> ThreadPoolExecutor:
    dialect = get_engine().dialect.name
    pool = _writer_pools.get(dialect)
    if pool is None:
        threads = WRITER_THREADS.get(dialect, DEFAULT_WRITER_THREADS)
        pool = ThreadPoolExecutor(threads, thread_name_prefix=f"status-writer-{dialect}")
        pool = _writer_pools.setdefault(dialect, pool)
    return pool


def _apply_status(params: dict, handled_by: int | None = None, line: str = "") -> Response:
    try:
        connection = _writer_connection()
        with connection.begin():
            call_id = call_status.apply_status_callback(
                session=connection, params=params, handled_by=handled_by, line=line
            )
            audience = track.call_audience(connection, call_id) if call_id else []
    except SQLAlchemyError:
        log.exception("status callback: database unavailable")
        _drop_writer_connection()
        return UNAVAILABLE
    for user_id in audience:  # committed: the open tabs of who sees the call show it now
        live.publish(user_id, {live.CALLS})
    return NO_CONTENT


_held = threading.local()


def _writer_connection() -> Connection:
    """This writer thread's own connection, kept between callbacks: a pool checkout
    costs a round trip on PostgreSQL (pre-ping) and a rollback on return."""
    engine, held = get_engine(), getattr(_held, "connection", None)
    if held is not None and held.engine is not engine:  # the engine was replaced (tests)
        _drop_writer_connection()
        held = None
    if held is None:
        held = _held.connection = engine.connect()
    return held


def _drop_writer_connection() -> None:
    """After a failure the connection is not trusted: the next callback opens a new one."""
    held, _held.connection = getattr(_held, "connection", None), None
    if held is not None:
        with contextlib.suppress(SQLAlchemyError):
            held.close()


status_route = Route(webhook_urls.STATUS_PATH, status, methods=["POST"])


class StatusFastPath:
    """ASGI middleware around the whole app (`app.with_fast_paths`): POSTs to the status
    callback go straight to `status`, skipping every layer below (a measured share of
    each callback's time); everything else passes through."""

    def __init__(self, app, context=None) -> None:
        self.app = app
        self.context = context or contextlib.nullcontext

    async def __call__(self, scope, receive, send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == webhook_urls.STATUS_PATH
            and scope["method"] == "POST"
        ):  # the route's own handler, without the routing and its exception wrappers
            with self.context():
                response = await status(Request(scope, receive))
            await response(scope, receive, send)
        else:
            await self.app(scope, receive, send)


@router.post(webhook_urls.RECORDING_PATH)
def recording(request: Request, params: dict = Depends(verified_params)) -> Response:
    voicemail = request.query_params.get("kind") == "voicemail"
    try:
        with session_scope() as session:
            recording_status.apply_recording_callback(
                session=session, params=params, voicemail=voicemail
            )
    except SQLAlchemyError:
        log.exception("recording callback: database unavailable")
        return UNAVAILABLE
    return Response(status_code=204)
