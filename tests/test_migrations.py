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


def test_stored_event_keys_gain_their_account(db_url):
    """Events kept before keys named the signing account are re-keyed from their own
    payload; one that arrived again after the upgrade is kept once."""
    _empty(db_url)
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "45dc0bdfe2a5")
    account, call = "AC" + "1" * 32, "CA" + "2" * 32
    old = [
        ("status", f"status:{call}:0:initiated", {"AccountSid": account, "CallSid": call}),
        ("recording", "recording:RE9:completed", {"AccountSid": account}),
        ("status", f"status:{call}:3:completed", {"AccountSid": account, "CallSid": call}),
        ("status", f"status:{account}:{call}:3:completed", {"AccountSid": account}),
    ]
    events = sa.table(
        "webhook_events",
        *(sa.column(c) for c in ("kind", "dedupe_key", "resource_sid", "received_at")),
        sa.column("payload", sa.JSON),
    )
    with db.get_engine().begin() as conn:
        for kind, key, payload in old:
            conn.execute(
                events.insert().values(
                    kind=kind,
                    dedupe_key=key,
                    resource_sid=call,
                    payload=payload,
                    received_at=sa.func.now(),
                )
            )
    command.upgrade(cfg, "head")
    with db.get_engine().connect() as conn:
        keys = sorted(conn.execute(sa.text("SELECT dedupe_key FROM webhook_events")).scalars())
    assert keys == sorted(
        [
            f"status:{account}:{call}:0:initiated",
            f"recording:{account}:RE9:completed",
            f"status:{account}:{call}:3:completed",
        ]
    )
