"""What the call log's indexes and the parties' triggers cost the webhook's writes: a call
as the status callbacks write it (the opening INSERT, then three UPDATEs: ringing,
in-progress, completed; each its own committed transaction, with the hot path's own
statements), in microseconds per call, on SQLite and PostgreSQL, with the schema as it
is and without the call log's six indexes and triggers; calls to parties already known,
and each call to a new party. 100,000 calls are made first, so indexes are not tiny.

Run: .venv/bin/python benchmarks/bench_call_writes.py [calls-timed]
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

from sqlmodel import SQLModel  # noqa: E402

import callplatform.models  # noqa: E402,F401
from benchmarks import bench_call_log  # noqa: E402
from benchmarks.pg import temporary_postgres  # noqa: E402
from callplatform.callbacks import call_status_sql as sql  # noqa: E402
from callplatform.db import make_engine  # noqa: E402
from callplatform.models.telephony import (  # noqa: E402
    IX_FACETS,
    IX_FROM_PARTY,
    IX_MISSED,
    IX_NUMBER_FACETS,
    IX_NUMBER_MISSED,
    IX_TO_PARTY,
)

ADDED_INDEXES = (
    IX_FACETS,
    IX_NUMBER_FACETS,
    IX_MISSED,
    IX_NUMBER_MISSED,
    IX_FROM_PARTY,
    IX_TO_PARTY,
)
DROP_TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER twilio_calls_parties_insert",
        "DROP TRIGGER twilio_calls_parties_update",
    ],
    "postgresql": ["DROP TRIGGER twilio_calls_parties ON twilio_calls"],
}
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _call(i: int, new_party: bool) -> dict:
    return {
        "workspace_id": 1, "handled_by": 1, "call_sid": f"CB{i:032d}", "phone": "+14155550100",
        "parent_call_sid": None, "direction": "outbound", "from_number": "+14155550100",
        "to_number": f"+1646{i:07d}" if new_party else "+12125550123", "status": "initiated",
        "last_sequence": 0, "missed": False, "started_at": T0 + timedelta(seconds=i),
        "price_unit": "USD", "answered_at": None, "ended_at": None, "duration_seconds": None,
        "updated_at": T0,
    }  # fmt: skip


def _one_call(engine, i: int, new_party: bool) -> None:
    with engine.begin() as conn:
        call_id = sql.INSERT_CALL.execute(conn, _call(i, new_party)).scalar()
    at = T0 + timedelta(seconds=i)
    for changes in (
        {"status": "ringing", "last_sequence": 1, "updated_at": at},
        {"status": "in-progress", "last_sequence": 2, "answered_at": at, "updated_at": at},
        {"status": "completed", "last_sequence": 3, "ended_at": at, "duration_seconds": 30,
         "updated_at": at},
    ):  # fmt: skip
        with engine.begin() as conn:
            sql.update_call(changes).execute(conn, {**changes, "id": call_id})


def bench(name: str, engine, timed: int, without: bool) -> None:
    SQLModel.metadata.create_all(engine)
    dialect = engine.dialect.name
    with engine.begin() as conn:
        if without:
            for statement in DROP_TRIGGERS[dialect]:
                conn.exec_driver_sql(statement)
            for index in ADDED_INDEXES:
                conn.exec_driver_sql(f"DROP INDEX {index}")
    bench_call_log._fill_users(engine)
    bench_call_log._insert_calls(engine, 100_000)
    figures = []
    for new_party in (False, True):
        times = []
        for i in range(timed):
            start = time.perf_counter()
            _one_call(engine, 2_000_000 + i + (timed if new_party else 0), new_party)
            times.append((time.perf_counter() - start) * 1e6)
        figures.append(f"{statistics.median(times):7.0f}")
    label = "without the call log's indexes and triggers" if without else "as it is"
    print(f"  {name:<10} {label:<45} known party {figures[0]} us, new party {figures[1]} us")


def main() -> None:
    timed = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print("A call's four writes (median per call):")
    for without in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            bench("SQLite", make_engine(f"sqlite:///{tmp}/calls.db"), timed, without)
        with temporary_postgres() as engine:
            if engine is not None:
                bench("PostgreSQL", engine, timed, without)


if __name__ == "__main__":
    main()
