"""A throw-away PostgreSQL database on 127.0.0.1 for a benchmark, or None if unreachable."""

from __future__ import annotations

import contextlib
import os
import re
import uuid

import sqlalchemy as sa

from callplatform.db import make_engine

ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextlib.contextmanager
def temporary_postgres(name: str | None = None, admin_url: str = ADMIN_URL):
    """A new database `name` (default: a random bench_ name) on `admin_url`'s server,
    dropped afterwards."""
    name = name or f"bench_{uuid.uuid4().hex[:8]}"
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"not a plain database name: {name!r}")
    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        print(f"\nPostgreSQL skipped: {exc.orig}")
        yield None
        return
    engine = make_engine(sa.engine.make_url(admin_url).set(database=name).render_as_string(False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
