"""The sandbox's own database: its tables on their own metadata (never the product's, so
never in its migrations), created on first use, in a SQLite file by default.

Units of work as the product's: writers begin IMMEDIATE on SQLite (two writers queue on
the busy timeout rather than fail), readers begin deferred."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import registry
from sqlmodel import Session, SQLModel, create_engine

from twilio_sandbox import settings


class SandboxTable(SQLModel, registry=registry()):
    """Base of the sandbox's tables: a metadata of their own."""


_engines: dict[str, Engine] = {}
_lock = threading.Lock()
_KEEP = 2  # tests move between databases; older engines are disposed


def _sqlite(url: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def get_engine() -> Engine:
    """The engine for SANDBOX_DATABASE_URL, its tables created on first use."""
    url = settings.database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _sqlite(url) if url.startswith("sqlite") else create_engine(url)
            SandboxTable.metadata.create_all(engine)
            _add_missing_columns(engine)
            _engines[url] = engine
            while len(_engines) > _KEEP:
                _engines.pop(next(iter(_engines))).dispose()
    return engine


def _add_missing_columns(engine: Engine) -> None:
    """Columns added since a sandbox database was made (create_all leaves existing tables
    as they are), so a kept sandbox file keeps working: each added column has a default
    or may be null."""
    with engine.begin() as conn:
        existing = inspect(conn)  # on this connection: a second one would wait for its lock
        for table in SandboxTable.metadata.sorted_tables:
            have = {c["name"] for c in existing.get_columns(table.name)}
            for column in table.columns:
                if column.name in have:
                    continue
                kind = column.type.compile(engine.dialect)
                default = getattr(column.default, "arg", None)
                fill = f" DEFAULT '{default}' NOT NULL" if isinstance(default, str) else ""
                conn.exec_driver_sql(
                    f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{fill}'
                )


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
    with Session(engine, expire_on_commit=False) as session:
        yield session
