"""A throw-away PostgreSQL database on 127.0.0.1 for a benchmark, or None if unreachable."""

from __future__ import annotations

import contextlib
import os
import uuid

import sqlalchemy as sa

from callplatform.db import make_engine

ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextlib.contextmanager
def temporary_postgres():
    name = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        print(f"\nPostgreSQL skipped: {exc.orig}")
        yield None
        return
    engine = make_engine(sa.engine.make_url(ADMIN_URL).set(database=name).render_as_string(False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
