"""The baseline for bench_webhooks: a bare Starlette route that checks the signature and
writes one row, on the same kind of database with the app's engine settings (SQLite: WAL,
BEGIN IMMEDIATE)."""

from __future__ import annotations

import gc
import os

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from callplatform.db import make_engine

TOKEN = "f" * 32
URL = "http://bench.local/api/twilio/status"


def build() -> Starlette:
    engine = make_engine(os.environ["DATABASE_URL"])
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS bare (sid TEXT PRIMARY KEY, status TEXT)")
    insert = sa.text("INSERT INTO bare (sid, status) VALUES (:sid, :status)")
    validator = RequestValidator(TOKEN)

    async def status(request: Request) -> Response:
        params = dict(await request.form())
        if not validator.validate(URL, params, request.headers.get("x-twilio-signature", "")):
            return Response(status_code=403)
        with engine.begin() as conn:
            conn.execute(insert, {"sid": params["CallSid"], "status": params["CallStatus"]})
        return Response(status_code=204)

    app = Starlette(routes=[Route("/api/twilio/status", status, methods=["POST"])])
    gc.collect()
    gc.freeze()
    return app
