"""The status callback's database work, as the fast path hands it over: on writer threads
of its own (one on SQLite, so writers queue instead of sleeping in SQLite's busy wait),
each keeping its connection until a failure, and inside the request's context (Reflex's
contexts, which the served app sets around the fast path, reach the writer)."""

from __future__ import annotations

import contextlib
import contextvars
import os
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callplatform import config
from callplatform.api import signed, webhooks
from callplatform.api.app import with_fast_paths
from callplatform.db import get_engine, session_scope
from callplatform.http_app import build_http_app
from callplatform.models import TwilioSubaccount
from callplatform.telephony.signatures import compute_signature
from callplatform.tenancy import crypto
from tests.helpers import make_user, personal_workspace
from tests.live_server import LiveServer

BASE = "https://calls.example.com"
PATH = "/api/twilio/status"
ACCOUNT, TOKEN = "AC" + "3" * 32, "e" * 32
MARK = contextvars.ContextVar("mark", default=None)


@contextlib.contextmanager
def marked():
    token = MARK.set("set around the fast path")
    try:
        yield
    finally:
        MARK.reset(token)


@pytest.fixture
def post(db_url, monkeypatch):
    """POST a signed `initiated` callback for a new call to the api served with the fast
    path inside `marked()`; returns the status code."""
    monkeypatch.setenv("PUBLIC_BASE_URL", BASE)
    config.reset_settings()
    signed.clear_token_cache()
    user = make_user()
    with session_scope() as s:
        s.add(TwilioSubaccount(user_id=user, workspace_id=personal_workspace(user),
                               account_sid=ACCOUNT, auth_token_encrypted=crypto.encrypt(TOKEN)))  # fmt: skip
    with (
        LiveServer(with_fast_paths(build_http_app(), status_context=marked)) as live,
        httpx.Client(base_url=live.url, timeout=20) as client,
    ):

        def send() -> int:
            params = {"AccountSid": ACCOUNT, "CallSid": "CA" + secrets.token_hex(16),
                      "CallStatus": "initiated", "From": "+14155550100", "To": "+12125550123"}  # fmt: skip
            signature = compute_signature(auth_token=TOKEN, url=BASE + PATH, params=params)
            return client.post(
                PATH, data=params, headers={"X-Twilio-Signature": signature}
            ).status_code

        yield send
    signed.clear_token_cache()


@contextlib.contextmanager
def statements_seen():
    """(thread, connection, context mark) of every INSERT of a call, in any engine."""
    seen: list[tuple[int, object, str | None]] = []

    def note(conn, _cursor, statement, *_args):
        if statement.startswith("INSERT INTO twilio_calls") or "created AS (" in statement:
            seen.append((threading.get_ident(), conn, MARK.get()))

    sa.event.listen(Engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(Engine, "before_cursor_execute", note)


def test_concurrent_callbacks_are_written_by_the_writer_threads(post, db_url):
    with statements_seen() as seen, ThreadPoolExecutor(12) as senders:
        answers = list(senders.map(lambda _: post(), range(36)))
    assert answers == [204] * 36
    threads = {thread for thread, _, _ in seen}
    limit = webhooks.WRITER_THREADS.get(get_engine().dialect.name, webhooks.DEFAULT_WRITER_THREADS)
    assert len(seen) == 36 and len(threads) <= limit
    if db_url.startswith("sqlite"):
        assert len(threads) == 1  # one writer: SQLite takes one at a time


def test_the_writer_gets_the_requests_context(post):
    with statements_seen() as seen:
        assert post() == 204
    assert [mark for _, _, mark in seen] == ["set around the fast path"]


def test_a_writer_keeps_its_connection_until_a_failure(post):
    def fail(_conn, _cursor, statement, *_args):
        if statement.startswith("INSERT INTO twilio_calls") or "created AS (" in statement:
            raise sa.exc.OperationalError(statement, {}, Exception("server closed the connection"))

    with statements_seen() as seen:
        webhooks.WRITER_THREADS["postgresql"] = 1  # one writer on both, to compare its connections
        _forget_pool("postgresql")
        try:
            assert [post(), post()] == [204, 204]
            sa.event.listen(get_engine(), "before_cursor_execute", fail)
            assert post() == 503
            sa.event.remove(get_engine(), "before_cursor_execute", fail)
            assert post() == 204
        finally:
            del webhooks.WRITER_THREADS["postgresql"]
            _forget_pool("postgresql")
    first, second, failed, after = (conn for _, conn, _ in seen)
    assert first is second is failed  # kept between callbacks
    assert after is not failed  # not after its failure


def _forget_pool(dialect: str) -> None:
    pool = webhooks._writer_pools.pop(dialect, None)
    if pool is not None:
        pool.shutdown(wait=False)


def test_a_forked_process_gets_writers_of_its_own(sqlite_db):
    """A pool's threads do not survive a fork (a mutation run forks a test session per
    mutant): the child's callbacks must still be written, not queued for a thread that is
    not there."""
    assert webhooks._writers().submit(lambda: "parent").result(timeout=5) == "parent"
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            written = webhooks._writers().submit(lambda: "child").result(timeout=5)
        except BaseException:
            os._exit(2)
        os._exit(0 if written == "child" else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
