"""The workspaces migration, on a database made by the schema before it: every user gets
a personal workspace they own, and their subaccount, numbers, sessions and tokens move
into it; nothing is lost or counted twice, and what is made afterwards fits beside it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlmodel import select

from callplatform import db
from callplatform.models import Workspace, WorkspaceMember, WorkspaceRole
from callplatform.workspaces import membership
from tests.helpers import make_user
from tests.test_migrations import _empty

ROOT = Path(__file__).resolve().parents[2]
BEFORE = "d7e2f1a9b8c3"
LAST_KEYED_BY_USER = "b6a3fa268d6c"  # the next moves calls and costs (test_migration_calls)
AT = datetime(2026, 11, 1, tzinfo=UTC)


def _alembic() -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    return cfg


def _rows(conn, sql: str) -> list[tuple]:
    return sorted(tuple(r) for r in conn.execute(sa.text(sql)).all())


def _old_database(url: str) -> None:
    _empty(url)
    command.upgrade(_alembic(), BEFORE)
    with db.get_engine().begin() as conn:
        for uid, email, name in [(1, "ann@example.com", "Ann Lee"), (2, "bob@example.com", ""),
                                 (5, "cy@example.com", "")]:  # fmt: skip
            conn.execute(sa.text(
                "INSERT INTO users (id, email, password_hash, role, is_suspended, created_at, "
                "password_changed_at, display_name, time_zone) "
                "VALUES (:id, :email, 'x', 'user', false, :at, :at, :name, '')"),
                {"id": uid, "email": email, "name": name, "at": AT})  # fmt: skip
        for uid in (1, 2):
            conn.execute(sa.text(
                "INSERT INTO twilio_subaccounts (user_id, account_sid, auth_token_encrypted, "
                "status, created_at) VALUES (:u, :sid, 'x', 'active', :at)"),
                {"u": uid, "sid": f"AC{uid:032d}", "at": AT})  # fmt: skip
        for uid, number, status in [(1, "+14155550100", "active"), (1, "+14155550101", "released"),
                                    (2, "+14155550102", "active")]:  # fmt: skip
            conn.execute(sa.text(
                "INSERT INTO user_phone_numbers (user_id, phone_number, friendly_name, country, "
                "voice_capable, sms_capable, mms_capable, price_unit, record_calls, status, "
                "purchased_at) VALUES (:u, :n, '', 'US', true, true, false, 'USD', false, :s, :at)"),
                {"u": uid, "n": number, "s": status, "at": AT})  # fmt: skip
        for uid, digest in [(1, "a" * 64), (2, "b" * 64), (2, "c" * 64)]:
            conn.execute(sa.text(
                "INSERT INTO auth_sessions (user_id, token_hash, created_at, expires_at, "
                "user_agent) VALUES (:u, :h, :at, :at, '')"), {"u": uid, "h": digest, "at": AT})  # fmt: skip
        if conn.dialect.name == "postgresql":  # ids given above: the next user's comes after
            conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('users', 'id'), 6, false)"))
        conn.execute(sa.text(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) "
            "VALUES (5, 'CRM', :h, 'cp_x', :at)"), {"h": "d" * 64, "at": AT})  # fmt: skip


def test_each_user_owns_a_personal_workspace_holding_what_was_theirs(db_url):
    _old_database(db_url)
    with db.get_engine().connect() as conn:
        numbers_before = _rows(
            conn, "SELECT id, user_id, phone_number, status FROM user_phone_numbers"
        )
    command.upgrade(_alembic(), LAST_KEYED_BY_USER)
    with db.get_engine().connect() as conn:
        assert _rows(conn, "SELECT id, name, personal FROM workspaces") == [
            (1, "Ann Lee", True), (2, "bob", True), (5, "cy", True)]  # fmt: skip
        assert _rows(conn, "SELECT workspace_id, user_id, role FROM workspace_members") == [
            (1, 1, "owner"), (2, 2, "owner"), (5, 5, "owner")]  # fmt: skip
        for table in ("twilio_subaccounts", "user_phone_numbers", "auth_sessions", "api_tokens"):
            pairs = _rows(conn, f"SELECT user_id, workspace_id FROM {table}")  # noqa: S608
            assert pairs and all(user == workspace for user, workspace in pairs), table
        assert _rows(conn, "SELECT id, user_id, phone_number, status FROM user_phone_numbers") == (
            numbers_before
        )
    # Made afterwards: a new user's workspace takes a fresh id (PostgreSQL's sequence moved).
    command.upgrade(_alembic(), "head")
    dan = make_user("dan@example.com")
    with db.session_scope() as s:
        owned = membership.workspaces_of(session=s, user_id=dan)
        assert len(owned) == 1 and owned[0].role is WorkspaceRole.OWNER
        assert owned[0].workspace_id not in (1, 2, 5)
        assert len(s.exec(select(Workspace)).all()) == 4
        assert len(s.exec(select(WorkspaceMember)).all()) == 4


def test_downgrade_gives_back_the_schema_before(db_url):
    _old_database(db_url)
    command.upgrade(_alembic(), LAST_KEYED_BY_USER)
    command.downgrade(_alembic(), BEFORE)
    with db.get_engine().connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        columns = {c["name"] for c in sa.inspect(conn).get_columns("user_phone_numbers")}
        indexes = {ix["name"] for ix in sa.inspect(conn).get_indexes("user_phone_numbers")}
        assert len(_rows(conn, "SELECT id FROM user_phone_numbers")) == 3
    assert "workspaces" not in tables and "workspace_id" not in columns
    assert "uq_user_phone_numbers_live_number" in indexes
