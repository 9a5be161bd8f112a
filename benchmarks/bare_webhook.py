"""The baseline for bench_webhooks: the least a server can do for a signed status callback.

A plain ASGI callable (no framework): read the body, url-decode it, one HMAC-SHA1 over
the URL and parameters (the token is known: one account), one UPSERT that keeps the
call's latest status, commit, 204. The write runs inline on the event loop on one
connection that the app's own engine set up (SQLite: WAL, synchronous=NORMAL, the
background checkpoints; PostgreSQL: the same driver), so nothing is done that a status
callback could do without. `/noop` answers 204 without work: the load generator's
ceiling.

Served under the same server as the app, by the function Reflex serves it with:
    python -m benchmarks.bare_webhook PORT   (DATABASE_URL in the environment)
"""

from __future__ import annotations

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


def _signature(params: list[tuple[str, str]]) -> str:
    payload = URL + "".join(name + value for name, value in sorted(params))
    return base64.b64encode(hmac.new(_KEY, payload.encode(), hashlib.sha1).digest()).decode()


def build():
    from callplatform.db import make_engine

    engine = make_engine(os.environ["DATABASE_URL"])
    with engine.begin() as setup:
        setup.exec_driver_sql(_TABLE)
    connection = engine.raw_connection()  # the engine's connect-time settings applied
    sqlite = engine.dialect.name == "sqlite"
    upsert = _UPSERT.format("?" if sqlite else "%s")

    def write(params: dict[str, str]) -> None:
        cursor = connection.cursor()
        if sqlite:  # the app's engine begins SQLite writes this way (db.py)
            cursor.execute("BEGIN IMMEDIATE")
        row = (params["CallSid"], params["AccountSid"], params["CallStatus"])
        cursor.execute(upsert, (*row, int(params.get("SequenceNumber") or 0), time.time()))
        if sqlite:
            cursor.execute("COMMIT")
        else:
            connection.commit()
        cursor.close()

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
                write(dict(pairs))
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
