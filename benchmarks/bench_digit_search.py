"""The call log's digit search three ways, on bench_call_log.py's 1,000,000 calls (100,000
for one user), in ms per page of 50 (median): the parties it reads now (list_calls), and
the two structures first considered for it, a trigram index over the calls' numbers
(SQLite: an FTS5 table with the trigram tokenizer; PostgreSQL: pg_trgm GIN indexes on
both numbers), each read for the user's newest matching calls. Searches: "555" (every
call), "2125550990" (100 calls over the history), "3105550177" (200 calls, all in the
oldest 2%), "99999" (none); the first page and after the 50,000th newest call.

Run: .venv/bin/python benchmarks/bench_digit_search.py [total-calls]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session  # noqa: E402

from benchmarks import bench_call_log as calls  # noqa: E402  (sets the environment up)
from benchmarks.pg import temporary_postgres  # noqa: E402
from callplatform.db import make_engine  # noqa: E402
from callplatform.history import call_log  # noqa: E402

SEARCHES = {"many": "555", "few": "2125550990", "old": "3105550177", "none": "99999"}
TRIGRAM_INDEX = {
    "sqlite": [
        "CREATE VIRTUAL TABLE calls_fts USING fts5(from_number, to_number, "
        "content='twilio_calls', content_rowid='id', tokenize='trigram')",
        "INSERT INTO calls_fts (calls_fts) VALUES ('rebuild')",
    ],
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX calls_from_trgm ON twilio_calls USING gin (from_number gin_trgm_ops)",
        "CREATE INDEX calls_to_trgm ON twilio_calls USING gin (to_number gin_trgm_ops)",
        "ANALYZE twilio_calls",
    ],
}
# The user's newest matching calls past the cursor, found through the trigram index.
TRIGRAM_PAGE = {
    "sqlite": "SELECT * FROM twilio_calls WHERE id IN (SELECT rowid FROM calls_fts "
    "WHERE calls_fts MATCH '\"{digits}\"') AND workspace_id = 1 "
    "AND (started_at, id) < ('{at}', {id}) "
    "ORDER BY started_at DESC, id DESC LIMIT 51",
    "postgresql": "SELECT * FROM twilio_calls WHERE workspace_id = 1 "
    "AND (from_number LIKE '%%{digits}%%' OR to_number LIKE '%%{digits}%%') "
    "AND (started_at, id) < ('{at}', {id}) ORDER BY started_at DESC, id DESC LIMIT 51",
}
FAR_FUTURE = ("2100-01-01 00:00:00.000000", 0)


def _ms(fn, runs: int = 11) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        if times[0] > 50 and len(times) == 3:
            break
    return statistics.median(times)


def bench(name: str, engine, total: int) -> None:
    calls._fill(engine, total)
    dialect = engine.dialect.name
    start = time.perf_counter()
    with engine.begin() as conn:
        for sql in TRIGRAM_INDEX[dialect]:
            conn.exec_driver_sql(sql)
    print(f"\n{name}: trigram index built in {time.perf_counter() - start:.0f} s")
    deep = calls._cursor_at(engine, total // calls.USERS // 2)
    stamp, ident = call_log.decode_cursor(deep)
    at = stamp.strftime("%Y-%m-%d %H:%M:%S.%f") + ("" if dialect == "sqlite" else "+00")
    print(f"  {'search':<6} {'page':<6} {'ours':>8} {'trigram':>9}")
    with Session(engine) as session:
        for label, digits in SEARCHES.items():
            filters = call_log.CallFilters(search=digits)
            for page, (cursor, bound) in {
                "first": (None, FAR_FUTURE),
                "deep": (deep, (at, ident)),
            }.items():
                ours = _ms(
                    lambda f=filters, c=cursor: call_log.list_calls(
                        session=session, member=calls.AS_TARGET, filters=f, cursor=c
                    )
                )
                sql = TRIGRAM_PAGE[dialect].format(digits=digits, at=bound[0], id=bound[1])
                run = session.connection().exec_driver_sql
                trigram = _ms(lambda q=sql, run=run: run(q).all())
                print(f"  {label:<6} {page:<6} {ours:8.2f} {trigram:9.2f}")


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", make_engine(f"sqlite:///{tmp}/calls.db"), total)
    with temporary_postgres() as engine:
        if engine is not None:
            bench("PostgreSQL", engine, total)


if __name__ == "__main__":
    main()
