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
from tests.helpers import member_of

ROOT = Path(__file__).resolve().parent.parent


def _empty(url: str) -> None:
    """No table at all: also those of an older schema a migration test left behind
    (their references are not the models' ones, so the models can't drop them)."""
    from tests.conftest import _postgres_built

    _postgres_built.discard(url)  # the next test builds the models' schema anew
    engine = sa.create_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for (table,) in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).all():
                conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{table}"')
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
    assert {"ix_twilio_calls_workspace_started", "ix_twilio_calls_number_started"} <= names


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


def test_calls_and_rollups_kept_before_gain_their_search_and_figures_to_date(db_url):
    """The parties of the calls kept before the upgrade are found by their digits, the
    figures to date are those the ledger would have kept, and calls made afterwards go
    through the triggers the migration made."""
    from datetime import UTC, date, datetime

    from callplatform.billing import usage_to_date
    from callplatform.history import call_log

    _empty(db_url)
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "c4f1a2b3d5e6")
    at = datetime(2026, 11, 1, tzinfo=UTC)
    with db.get_engine().begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO users (id, email, password_hash, role, is_suspended, created_at, "
                "password_changed_at, display_name, time_zone) "
                "VALUES (1, 'a@x.com', 'x', 'user', false, :at, :at, '', '')"
            ),
            {"at": at},
        )
        calls = sa.table(*(["twilio_calls"] + [sa.column(c) for c in (
            "user_id", "call_sid", "direction", "from_number", "to_number", "status",
            "last_sequence", "missed", "started_at", "price_unit", "updated_at")]))  # fmt: skip
        for i, far in enumerate(["+12125550123", "sip:3105550177@pbx.example", "+12125550123"]):
            conn.execute(calls.insert().values(
                user_id=1, call_sid=f"CA{i:032d}", direction="outbound",
                from_number="+14155550100", to_number=far, status="completed",
                last_sequence=3, missed=False, started_at=at, price_unit="USD", updated_at=at))  # fmt: skip
        rollups = sa.table("daily_usage", *(sa.column(c) for c in (
            "day", "user_id", "calls", "failed_calls", "call_seconds", "twilio_cost", "markup")))  # fmt: skip
        for day in (date(2026, 11, 1), date(2026, 11, 4)):
            conn.execute(rollups.insert().values(day=day, user_id=1, calls=1, failed_calls=0,
                                                 call_seconds=60, twilio_cost=1, markup=0))  # fmt: skip
    command.upgrade(cfg, "head")  # user 1's calls and rollups are now workspace 1's
    calls = sa.table(*(["twilio_calls"] + [sa.column(c) for c in (
        "workspace_id", "call_sid", "direction", "from_number", "to_number", "status",
        "last_sequence", "missed", "started_at", "price_unit", "updated_at")]))  # fmt: skip
    with db.get_engine().begin() as conn:
        conn.execute(calls.insert().values(
            workspace_id=1, call_sid="CA" + "9" * 32, direction="inbound", from_number="+18005550199",
            to_number="+14155550100", status="ringing", last_sequence=0, missed=False,
            started_at=at, price_unit="USD", updated_at=at))  # fmt: skip

        def figures():
            return [
                sorted(conn.execute(sa.text(f"SELECT * FROM {table}")).all())  # noqa: S608
                for table in ("usage_to_date", "usage_totals")
            ]

        migrated = figures()
        usage_to_date.rebuild(conn)
        assert figures() == migrated
        assert [len(rows) for rows in migrated] == [4, 1]
    with db.session_scope() as s:
        for search, found in (("(212) 555-0123", 2), ("3105550177", 1), ("800 555", 1)):
            page = call_log.list_calls(
                session=s, member=member_of(1), filters=call_log.CallFilters(search=search)
            )
            assert len(page.rows) == found, search
