"""The migration that makes the workspace the tenant of calls, recordings, costs and the
rollups, on a database made by the schema before it: every row lands in its user's
personal workspace, nothing is lost or counted twice, the digit search still finds the
parties, and a shared workspace's calls can be written beside them afterwards."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import command

from callplatform import db
from tests.test_migrations import _empty
from tests.workspaces.test_migration import _alembic, _rows

BEFORE = "b6a3fa268d6c"
AT = datetime(2026, 11, 1, 12, tzinfo=UTC)
CENT_FIFTHS = Decimal("0.00001")


def _exec(conn, sql: str, **params) -> None:
    conn.execute(sa.text(sql), params)


def _old_database(url: str) -> None:
    """Ann (user 1) and Cy (user 3) with calls, a recording and costs; Bob (user 2) with
    none. Cy's personal workspace is 7, not his user id, as for users made after the
    workspaces migration."""
    _empty(url)
    command.upgrade(_alembic(), BEFORE)
    with db.get_engine().begin() as conn:
        for uid in (1, 2, 3):
            _exec(conn,
                "INSERT INTO users (id, email, password_hash, role, is_suspended, created_at, "
                "password_changed_at, display_name, time_zone) "
                "VALUES (:id, :email, 'x', 'user', false, :at, :at, '', '')",
                id=uid, email=f"u{uid}@example.com", at=AT)  # fmt: skip
        for wid, uid, personal in [(1, 1, True), (2, 2, True), (7, 3, True), (8, 1, False)]:
            _exec(conn, "INSERT INTO workspaces (id, name, personal, created_at) "
                  "VALUES (:w, :n, :p, :at)", w=wid, n=f"w{wid}", p=personal, at=AT)  # fmt: skip
            _exec(conn, "INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) "
                  "VALUES (:w, :u, 'owner', :at)", w=wid, u=uid, at=AT)  # fmt: skip
        _exec(
            conn,
            "INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) "
            "VALUES (1, 2, 'member', :at)",
            at=AT,
        )  # Bob in Ann's: not his personal one
        for uid, wid in [(1, 1), (3, 7)]:
            _exec(conn,
                "INSERT INTO twilio_subaccounts (user_id, workspace_id, account_sid, "
                "auth_token_encrypted, status, created_at) VALUES (:u, :w, :sid, 'x', 'active', :at)",
                u=uid, w=wid, sid=f"AC{uid:032d}", at=AT)  # fmt: skip
            _exec(conn,
                "INSERT INTO user_phone_numbers (id, user_id, workspace_id, phone_number, "
                "friendly_name, country, voice_capable, sms_capable, mms_capable, price_unit, "
                "record_calls, status, purchased_at) VALUES (:u, :u, :w, :n, '', 'US', true, "
                "true, false, 'USD', false, 'active', :at)",
                u=uid, w=wid, n=f"+1415555010{uid}", at=AT)  # fmt: skip
        calls = [(1, 1, "outbound", False, "+14155550101", "+12125550199"),
                 (2, 1, "inbound", True, "+13035550123", "+14155550101"),
                 (3, 3, "inbound", False, "+13035550123", "+14155550103")]  # fmt: skip
        for cid, uid, direction, missed, frm, to in calls:
            _exec(conn,
                "INSERT INTO twilio_calls (id, user_id, number_id, call_sid, direction, "
                "from_number, to_number, status, last_sequence, missed, started_at, price_unit, "
                "updated_at) VALUES (:id, :u, :u, :sid, :d, :f, :t, 'completed', 3, :m, :at, "
                "'USD', :at)",
                id=cid, u=uid, sid=f"CA{cid:032d}", d=direction, f=frm, t=to, m=missed, at=AT)  # fmt: skip
        _exec(conn,
            "INSERT INTO twilio_recordings (id, user_id, call_id, recording_sid, call_sid, "
            "duration_seconds, status, is_voicemail, price_unit, created_at) "
            "VALUES (1, 1, 2, :r, :c, 9, 'completed', true, 'USD', :at)",
            r="RE" + "1" * 32, c=f"CA{2:032d}", at=AT)  # fmt: skip
        costs = [(1, 1, "call", 1, "0.01300"), (2, 1, "number_monthly", None, "1.15000"),
                 (3, 3, "call", 3, "0.00850")]  # fmt: skip
        for item, uid, kind, call_id, cost in costs:
            _exec(conn,
                "INSERT INTO cost_items (id, user_id, kind, source_key, number_id, call_id, "
                "twilio_cost, markup, charge, currency, description, occurred_at) "
                "VALUES (:i, :u, :k, :key, :u, :c, :cost, 0, :cost, 'USD', '', :at)",
                i=item, u=uid, k=kind, key=f"k{item}", c=call_id, cost=cost, at=AT)  # fmt: skip
        _exec(conn, "INSERT INTO call_attempts (user_id, at) VALUES (3, :at)", at=AT)
        _exec(conn, "UPDATE users SET monthly_cap = 12.5 WHERE id = 3")  # an admin capped Cy
        for uid, cost in [(1, "1.16300"), (3, "0.00850")]:
            _exec(conn,
                "INSERT INTO daily_usage (day, user_id, calls, failed_calls, call_seconds, "
                "twilio_cost, markup) VALUES ('2026-11-01', :u, 1, 0, 60, :c, 0)", u=uid, c=cost)  # fmt: skip
            _exec(conn, "INSERT INTO usage_to_date (user_id, day, spend, active_days) "
                  "VALUES (:u, '2026-11-01', :c, 1)", u=uid, c=cost)  # fmt: skip
            _exec(conn, "INSERT INTO usage_totals (user_id, first_day, last_day, spend, "
                  "active_days) VALUES (:u, '2026-11-01', '2026-11-01', :c, 1)", u=uid, c=cost)  # fmt: skip


def test_every_call_cost_and_rollup_lands_in_its_users_personal_workspace(db_url):
    _old_database(db_url)
    with db.get_engine().connect() as conn:
        money_before = _rows(conn, "SELECT SUM(charge) FROM cost_items")
        parties_before = _rows(conn, "SELECT user_id, number FROM call_parties")
        digits_before = len(_rows(conn, "SELECT * FROM call_party_digits"))
    command.upgrade(_alembic(), "head")
    with db.get_engine().connect() as conn:
        assert _rows(conn, "SELECT id, workspace_id, handled_by FROM twilio_calls") == [
            (1, 1, 1), (2, 1, None), (3, 7, 3)]  # fmt: skip
        assert _rows(conn, "SELECT id, workspace_id FROM twilio_recordings") == [(1, 1)]
        assert _rows(conn, "SELECT id, workspace_id, handled_by FROM cost_items") == [
            (1, 1, 1), (2, 1, None), (3, 7, 3)]  # fmt: skip
        assert _rows(conn, "SELECT SUM(charge) FROM cost_items") == money_before
        assert _rows(conn, "SELECT workspace_id FROM call_attempts") == [(7,)]
        assert _money(conn, "SELECT workspace_id, spend FROM usage_totals") == [
            (1, Decimal("1.16300")), (7, Decimal("0.00850"))]  # fmt: skip
        assert _rows(conn, "SELECT workspace_id, day FROM usage_to_date") == [
            (1, _day(conn)), (7, _day(conn))]  # fmt: skip
        assert _money(conn, "SELECT workspace_id, twilio_cost FROM daily_usage") == [
            (1, Decimal("1.16300")), (7, Decimal("0.00850"))]  # fmt: skip
        workspace_of = {1: 1, 3: 7}
        assert _rows(conn, "SELECT workspace_id, number FROM call_parties") == sorted(
            (workspace_of[uid], number) for uid, number in parties_before
        )
        assert len(_rows(conn, "SELECT * FROM call_party_digits")) == digits_before
        assert _money(conn, "SELECT id, monthly_cap FROM workspaces WHERE monthly_cap > 0") == [
            (7, Decimal("12.50000"))]  # fmt: skip
        users = {c["name"] for c in sa.inspect(conn).get_columns("users")}
        assert "monthly_cap" not in users and "email" in users
    # Afterwards: Ann's shared workspace (8) gets a subaccount of its own, and its calls'
    # parties are searched apart from her personal workspace's (the triggers moved too).
    with db.get_engine().begin() as conn:
        _exec(conn,
            "INSERT INTO twilio_subaccounts (user_id, workspace_id, account_sid, "
            "auth_token_encrypted, status, created_at) VALUES (1, 8, :sid, 'x', 'active', :at)",
            sid="AC" + "8" * 32, at=AT)  # fmt: skip
        _exec(conn,
            "INSERT INTO twilio_calls (id, workspace_id, call_sid, direction, from_number, "
            "to_number, status, last_sequence, missed, started_at, price_unit, updated_at) "
            "VALUES (9, 8, :sid, 'inbound', '+13035550123', '+14155550188', 'ringing', -1, false, "
            ":at, 'USD', :at)", sid="CA" + "8" * 32, at=AT)  # fmt: skip
        assert (8, "+14155550188") in _rows(conn, "SELECT workspace_id, number FROM call_parties")
        assert (1, "+14155550188") not in _rows(
            conn, "SELECT workspace_id, number FROM call_parties"
        )


def _money(conn, sql: str) -> list[tuple]:
    """(key, amount) rows, the amount exact however the database hands it back."""
    return [(key, Decimal(str(value)).quantize(CENT_FIFTHS)) for key, value in _rows(conn, sql)]


def _day(conn):
    return conn.execute(sa.text("SELECT day FROM usage_to_date LIMIT 1")).scalar()
