"""The call log's pages with 100,000 calls for one user among 1,000,000, on SQLite and
(when reachable on 127.0.0.1) PostgreSQL: the first page, a deep page (the 1,000th, via
its cursor) and a filtered page, in ms of database time (median of 50), with the plans.
Run: .venv/bin/python benchmarks/bench_call_log.py [total-calls]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", "bench-secret-0123456789abcdef")
os.environ.setdefault("APP_ENV", "test")

import sqlalchemy as sa  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

import callplatform.models  # noqa: E402,F401
from benchmarks.pg import temporary_postgres  # noqa: E402
from callplatform.db import make_engine  # noqa: E402
from callplatform.history import call_log  # noqa: E402
from callplatform.models import TwilioCall  # noqa: E402

USERS, TARGET, PAGE = 10, 1, 50
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _fill(engine, total: int) -> None:
    SQLModel.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO users (id, email, password_hash, role, is_suspended, "
                "created_at, password_changed_at) VALUES (:i, :e, 'x', 'user', "
                "false, :t, :t)"
            ),
            [{"i": i, "e": f"u{i}@example.com", "t": T0} for i in range(1, USERS + 1)],
        )
        conn.execute(
            sa.text(
                "INSERT INTO user_phone_numbers (id, user_id, phone_number_sid, "
                "phone_number, friendly_name, country, voice_capable, sms_capable, "
                "mms_capable, price_unit, record_calls, status, purchased_at) "
                "VALUES (1, 1, 'PN1', '+14155550100', 'n', 'US', true, false, "
                "false, 'USD', false, 'active', :t)"
            ),
            {"t": T0},
        )
    insert = TwilioCall.__table__.insert()
    batch, step = [], 50_000
    for i in range(total):
        user = TARGET if i % USERS == 0 else 2 + i % (USERS - 1)
        batch.append(
            {
                "user_id": user,
                "number_id": 1 if user == TARGET and i % 3 == 0 else None,
                "call_sid": f"CA{i:032d}",
                "direction": "outbound" if i % 2 else "inbound",
                "from_number": "+14155550100",
                "to_number": f"+1212555{i % 10_000:04d}",
                "status": "busy" if i % 7 == 0 else "completed",
                "last_sequence": 3,
                "missed": False,
                "started_at": T0 + timedelta(seconds=i * 3),
                "price_unit": "USD",
                "updated_at": T0,
            }
        )
        if len(batch) == step:
            with engine.begin() as conn:
                conn.execute(insert, batch)
            batch = []
    if batch:
        with engine.begin() as conn:
            conn.execute(insert, batch)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def _time(engine, filters, cursor) -> float:
    runs = []
    with Session(engine) as session:
        for _ in range(50):
            start = time.perf_counter()
            call_log.list_calls(
                session=session, owner_id=TARGET, filters=filters, cursor=cursor, limit=PAGE
            )
            runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def _deep_cursor(engine, page: int) -> str:
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT id, started_at FROM twilio_calls WHERE user_id = :u "
                "ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET :o"
            ),
            {"u": TARGET, "o": page * PAGE - 1},
        ).first()
    with Session(engine) as session:
        call = session.get(TwilioCall, row.id)
        return call_log.encode_cursor(call)


def _plan(engine, filters) -> str:
    sql = str(
        call_log._filtered(TARGET, filters)
        .limit(PAGE + 1)
        .compile(engine, compile_kwargs={"literal_binds": True})
    )
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        return " | ".join(str(r[-1]) for r in conn.exec_driver_sql(explain + sql))


def bench(name: str, engine, total: int) -> None:
    start = time.perf_counter()
    _fill(engine, total)
    print(
        f"\n{name}: {total:,} calls, {total // USERS:,} for one user "
        f"(filled in {time.perf_counter() - start:.0f} s)"
    )
    everything = call_log.CallFilters()
    deep = min(1000, total // USERS // PAGE - 1)  # the 1,000th page at full size
    filtered = call_log.CallFilters(number_id=1, status="completed")
    for label, filters, cursor in (
        ("first page", everything, None),
        (f"page {deep:,}", everything, _deep_cursor(engine, deep)),
        ("number+status", filtered, None),
    ):
        print(f"  {label:<14} {_time(engine, filters, cursor):6.2f} ms")
    print(f"  plan: {_plan(engine, everything)}")
    print(f"  plan (filtered): {_plan(engine, filtered)}")


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", make_engine(f"sqlite:///{tmp}/calls.db"), total)
    with temporary_postgres() as engine:
        if engine is not None:
            bench("PostgreSQL", engine, total)


if __name__ == "__main__":
    main()
