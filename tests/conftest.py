"""Shared fixtures: real databases (SQLite file, and PostgreSQL on 127.0.0.1), settings.

`db` is parametrised over both engines; tests that need only one use `sqlite_db`.
PostgreSQL comes from TEST_POSTGRES_URL (default: the local server, database `test`);
each test session creates its own throw-away database there.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

os.environ.setdefault("APP_ENV", "test")
os.environ.setdefault("SECRET_KEY", "test-secret-key-0123456789abcdef")
os.environ.pop("TWILIO_ACCOUNT_SID", None)

import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

import callplatform.models  # noqa: E402,F401  (registers the tables)
from callplatform import config, db  # noqa: E402

PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def use_database(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Point settings and the engine at `url` for this test, and the sandbox at a fresh
    database of its own beside it."""
    sandbox = Path(tempfile.mkdtemp(prefix="sandbox-")) / "twilio_sandbox.db"
    monkeypatch.setenv("SANDBOX_DATABASE_URL", f"sqlite:///{sandbox}")
    monkeypatch.setenv("DATABASE_URL", url)
    config.reset_settings()
    db.reset_engine()


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    name = f"cp_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:  # pragma: no cover - environment problem
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}")
    url = sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(False)
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


# Built once per process, and reused by any later test session in it: a mutation run
# (scripts/mutation.sh) forks a session per mutant from a process that ran the suite,
# and each would otherwise build them again (the schema ~0.5 s, the app ~1.4 s).
_per_process: dict[str, object] = {}


@pytest.fixture(scope="session")
def sqlite_template():
    """An empty schema built once; each test starts from a copy of the file."""
    if "schema" not in _per_process:
        folder = Path(tempfile.mkdtemp(prefix="schema-"))
        atexit.register(shutil.rmtree, folder, True)  # not in forks: they end by os._exit
        engine = sa.create_engine(f"sqlite:///{folder / 'template.db'}")
        SQLModel.metadata.create_all(engine)
        engine.dispose()
        _per_process["schema"] = folder / "template.db"
    return _per_process["schema"]


def _sqlite_copy(template, tmp_path) -> str:
    target = tmp_path / "test.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


_postgres_built: set[str] = set()


def _fresh_postgres(url: str) -> None:
    """The schema is built on a database's first use; later tests empty its tables."""
    engine = sa.create_engine(url)
    try:
        if url in _postgres_built:
            tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
            with engine.begin() as conn:
                conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            return
    except sa.exc.ProgrammingError:
        pass  # a test (the migrations') dropped tables: build again
    finally:
        engine.dispose()
    # Whatever a migration test left (an older schema's tables and references) goes too.
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    _postgres_built.add(url)


@pytest.fixture
def sqlite_db(sqlite_template, tmp_path, monkeypatch):
    url = _sqlite_copy(sqlite_template, tmp_path)
    use_database(monkeypatch, url)
    yield url
    db.reset_engine()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, sqlite_template, tmp_path, monkeypatch):
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        url = _sqlite_copy(sqlite_template, tmp_path)
    else:
        url = request.getfixturevalue("postgres_url")
        _fresh_postgres(url)
    use_database(monkeypatch, url)
    yield url
    db.reset_engine()
    config.reset_settings()


@pytest.fixture(scope="session")
def live_api():
    """The app's HTTP api (webhooks + built-in sandbox) on a loopback port."""
    from callplatform.api.app import with_fast_paths
    from callplatform.http_app import build_http_app
    from tests.live_server import LiveServer

    if "http_app" not in _per_process:
        _per_process["http_app"] = with_fast_paths(build_http_app())
    with LiveServer(_per_process["http_app"]) as server:
        yield server.url


@pytest.fixture
def telephony(db_url, live_api, monkeypatch):
    """A database (SQLite, then PostgreSQL) and the sandbox playing Twilio, reached by
    the real SDK over HTTP."""
    from callplatform.numbers import pricing
    from callplatform.telephony import client

    monkeypatch.setenv("TWILIO_API_BASE_URL", f"{live_api}/_sandbox/twilio")
    monkeypatch.setenv("PUBLIC_BASE_URL", live_api)
    config.reset_settings()
    client.clear_client_cache()
    pricing.clear_cache()
    yield live_api
    from twilio_sandbox import message_delivery

    message_delivery.wait_idle()  # no text of this test lands in the next one's database
    client.clear_client_cache()
