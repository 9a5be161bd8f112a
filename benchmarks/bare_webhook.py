"""The baseline for bench_webhooks: the least a server can do for a signed status callback.

A plain ASGI callable (no framework, no thread): read the body, url-decode it, one
HMAC-SHA1 over the URL and parameters (the token is known: one account), one UPSERT that
keeps the call's latest status, committed before the 204 (the statement is its own
transaction). SQLite: inline on the event loop (one writer at a time anyway), on a
connection the app's own engine opened (WAL, synchronous=NORMAL, busy timeout, the
background checkpoints). PostgreSQL: psycopg's async connections, WRITERS of them, so
commits overlap without a thread hop. `/noop` answers 204 without work: the ceiling of
the server and load generator together.

Served under the same server as the app, by the function Reflex serves it with:
    python -m benchmarks.bare_webhook PORT   (DATABASE_URL in the environment)
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import sys
import time
from urllib.parse import parse_qsl

TOKEN = "f" * 32
URL = "http://bench.local/api/twilio/status"
STATUS_PATH, NOOP_PATH = "/api/twilio/status", "/noop"
WRITERS = 8  # PostgreSQL connections; as many as our status writer threads
_KEY = TOKEN.encode()
_TABLE = (
    "CREATE TABLE IF NOT EXISTS bare_calls (call_sid VARCHAR(34) PRIMARY KEY, "
    "account_sid VARCHAR(34) NOT NULL, status VARCHAR(20) NOT NULL, "
    "sequence INTEGER NOT NULL, updated_at DOUBLE PRECISION NOT NULL)"
)
# Forward-only by SequenceNumber, as a status callback must be.
_UPSERT = (
    "INSERT INTO bare_calls (call_sid, account_sid, status, sequence, updated_at) "
    "VALUES ({0}, {0}, {0}, {0}, {0}) ON CONFLICT (call_sid) DO UPDATE SET "
    "status = excluded.status, sequence = excluded.sequence, updated_at = excluded.updated_at "
    "WHERE bare_calls.sequence < excluded.sequence"
)
_NO_CONTENT = {"type": "http.response.start", "status": 204, "headers": []}
_FORBIDDEN = {"type": "http.response.start", "status": 403, "headers": []}
_EMPTY = {"type": "http.response.body", "body": b""}
_engines: list = []


def _signature(params: list[tuple[str, str]]) -> str:
    payload = URL + "".join(name + value for name, value in sorted(params))
    return base64.b64encode(hmac.new(_KEY, payload.encode(), hashlib.sha1).digest()).decode()


def _sqlite_writer(url: str):
    from callplatform.db import make_engine

    engine = make_engine(url)
    _engines.append(engine)  # alive with the app, and so its checkpoint thread
    connection = engine.raw_connection()  # the engine's connect-time settings applied
    connection.execute(_TABLE)
    upsert = _UPSERT.format("?")

    async def write(row: tuple) -> None:
        connection.execute(upsert, row)  # autocommit (db.py): its own transaction

    return write


def _postgres_writer(url: str):
    import psycopg
    import sqlalchemy as sa

    conninfo = sa.make_url(url).set(drivername="postgresql").render_as_string(False)
    idle: asyncio.Queue = asyncio.Queue()
    upsert = _UPSERT.format("%s")
    opened = []

    async def write(row: tuple) -> None:
        if not opened:  # on the server's loop, at the first request
            opened.append(True)
            for _ in range(WRITERS):
                connection = await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
                await connection.execute(_TABLE)
                idle.put_nowait(connection)
        connection = await idle.get()
        try:
            await connection.execute(upsert, row)
        finally:
            idle.put_nowait(connection)

    return write


def build():
    url = os.environ["DATABASE_URL"]
    write = (_sqlite_writer if url.startswith("sqlite") else _postgres_writer)(url)

    async def app(scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        answer = _NO_CONTENT
        if scope["path"] == STATUS_PATH:
            signature = dict(scope["headers"]).get(b"x-twilio-signature", b"").decode()
            pairs = parse_qsl(body.decode(), keep_blank_values=True)
            if hmac.compare_digest(_signature(pairs), signature):
                params = dict(pairs)
                sequence = int(params.get("SequenceNumber") or 0)
                row = (params["CallSid"], params["AccountSid"], params["CallStatus"])
                await write((*row, sequence, time.time()))
            else:
                answer = _FORBIDDEN
        await send(answer)
        await send(_EMPTY)

    return app


def serve(port: int) -> None:
    """Granian as `reflex run --env prod` starts it (same function, so the same interface,
    workers, runtime mode and event loop), with this app as its target."""
    from reflex.utils import exec as reflex_exec
    from reflex_base.config import get_config

    loglevel = get_config().loglevel.subprocess_level()
    reflex_exec.run_granian_backend_prod(
        "127.0.0.1", port, loglevel, app_target="benchmarks.bare_webhook:build"
    )


if __name__ == "__main__":
    serve(int(sys.argv[1]))
