"""The database engine and sessions.

SQLite (the default) runs in WAL mode with a busy timeout and foreign keys on; every
transaction starts with BEGIN IMMEDIATE so two writers queue on the busy timeout
instead of failing at once with "database is locked" when a reader upgrades; the log is
checkpointed in the background, not by whichever commit fills it (sqlite_checkpoints).
`DATABASE_URL` selects PostgreSQL.
"""

from __future__ import annotations

import contextlib
import functools
import weakref
from collections.abc import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from callplatform.config import get_settings
from callplatform.sqlite_checkpoints import COMMIT_CHECKPOINT_PAGES, Checkpointer

SQLITE_BUSY_TIMEOUT_MS = 30_000
_checkpointers: weakref.WeakKeyDictionary[Engine, Checkpointer] = weakref.WeakKeyDictionary()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA wal_autocheckpoint={COMMIT_CHECKPOINT_PAGES}")  # see module
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Writers take the write lock up front (and wait for it); read-only sessions
        # (`read_scope`) begin deferred so readers never queue behind writers.
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        _configure_sqlite(engine)
        path = engine.url.database
        if path and path != ":memory:":
            _checkpointers[engine] = Checkpointer(path, owner=engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@functools.cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


def reset_engine() -> None:
    """Dispose of the engine (tests switch databases)."""
    if get_engine.cache_info().currsize:
        engine = get_engine()
        engine.dispose()
        if engine in _checkpointers:
            _checkpointers.pop(engine).stop()
    get_engine.cache_clear()


@contextlib.contextmanager
def session_scope() -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextlib.contextmanager
def read_scope() -> Iterator[Session]:
    """A read-only unit of work; on SQLite it does not take the write lock."""
    engine = get_engine().execution_options(sqlite_begin="DEFERRED")
    # Closing (not rolling back) ends the transaction and leaves loaded rows readable.
    with Session(engine, expire_on_commit=False) as session:
        yield session


def end_transaction(session: Session) -> None:
    """Commit what is pending and hold no lock while we wait on something slow (a Twilio
    request): on SQLite an open write transaction would block every other writer,
    including the built-in sandbox answering that very request."""
    session.commit()


def in_session(func, **kwargs):
    """Call a service `func(session=..., **kwargs)` in its own unit of work (the UI's
    handlers run these in a worker thread)."""
    with session_scope() as session:
        return func(session=session, **kwargs)


def in_read_session(func, **kwargs):
    """Like `in_session`, read-only (`read_scope`): for the UI's look-ups, which its
    handlers run in a worker thread, never on the event loop."""
    with read_scope() as session:
        return func(session=session, **kwargs)
