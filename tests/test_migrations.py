"""The committed migrations build exactly the schema the models describe."""

from __future__ import annotations

import warnings
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from callplatform import db

ROOT = Path(__file__).resolve().parent.parent


def _empty(url: str) -> None:
    engine = sa.create_engine(url)
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()


def test_upgrade_from_empty_reaches_the_models(db_url):
    _empty(db_url)
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")
    with db.get_engine().connect() as conn:
        with warnings.catch_warnings():
            # SQLite can't reflect expression (DESC) indexes; alembic warns and skips them.
            warnings.simplefilter("ignore", UserWarning)
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
        tables = set(sa.inspect(conn).get_table_names())
    assert diff == [], f"pending autogenerate diff: {diff}"
    assert {
        "users",
        "auth_sessions",
        "user_phone_numbers",
        "twilio_calls",
        "twilio_recordings",
    } <= tables


def test_call_history_index_exists(db_url):
    _empty(db_url)
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")
    with db.get_engine().connect() as conn:
        names = {ix["name"] for ix in sa.inspect(conn).get_indexes("twilio_calls")}
    assert {"ix_twilio_calls_user_started", "ix_twilio_calls_number_started"} <= names
