"""The admin dashboard's queries with 10,000 users and 1,000,000 calls (as the rollups
they leave: one row per user and day with activity), on SQLite and PostgreSQL, in ms.
Run: .venv/bin/python benchmarks/bench_admin.py [calls]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", "bench-secret-0123456789abcdef")
os.environ.setdefault("APP_ENV", "test")

from sqlmodel import Session, SQLModel  # noqa: E402

import callplatform.models  # noqa: E402,F401
from benchmarks.pg import temporary_postgres  # noqa: E402
from callplatform.admin import analytics  # noqa: E402
from callplatform.db import make_engine  # noqa: E402
from callplatform.models import DailyTotal, DailyUsage, Role, User  # noqa: E402

USERS, DAYS = 10_000, 90
END = date(2026, 11, 24)


def _fill(engine, calls: int) -> None:
    SQLModel.metadata.create_all(engine)
    now = datetime.now(UTC)
    users = [
        {
            "id": i,
            "email": f"u{i}@example.com",
            "password_hash": "x",
            "role": Role.ADMIN.value if i == 1 else Role.USER.value,
            "is_suspended": False,
            "created_at": now,
            "password_changed_at": now,
        }
        for i in range(1, USERS + 1)
    ]
    with engine.begin() as conn:
        conn.execute(User.__table__.insert(), users)
    rollup: dict[tuple[date, int], list] = {}
    for i in range(calls):  # each synthetic call lands on a user and a day
        key = (END - timedelta(days=i % DAYS), 1 + i % USERS)
        row = rollup.setdefault(key, [0, 0, 0])
        row[0] += 1
        row[1] += i % 11 == 0
        row[2] += 30 + i % 300
    rows = [
        {
            "day": d,
            "user_id": u,
            "calls": c,
            "failed_calls": f,
            "call_seconds": s,
            "twilio_cost": Decimal("0.014") * c,
            "markup": Decimal("0.0028") * c,
        }
        for (d, u), (c, f, s) in rollup.items()
    ]
    totals: dict[date, dict] = {}
    for row in rows:
        t = totals.setdefault(
            row["day"],
            {
                "day": row["day"],
                "calls": 0,
                "failed_calls": 0,
                "call_seconds": 0,
                "twilio_cost": Decimal(0),
                "markup": Decimal(0),
            },
        )
        for key in ("calls", "failed_calls", "call_seconds", "twilio_cost", "markup"):
            t[key] += row[key]
    with engine.begin() as conn:
        conn.execute(DailyTotal.__table__.insert(), list(totals.values()))
        for start in range(0, len(rows), 50_000):
            conn.execute(DailyUsage.__table__.insert(), rows[start : start + 50_000])
        conn.exec_driver_sql("ANALYZE")
    print(f"  {calls:,} calls for {USERS:,} users over {DAYS} days -> {len(rows):,} rollup rows")


def _ms(fn, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench(name: str, engine, calls: int) -> None:
    print(f"\n{name}")
    _fill(engine, calls)
    with Session(engine) as session:
        admin = session.get(User, 1)
        for label, start in (
            ("last 30 days", END - timedelta(days=29)),
            ("last 90 days", END - timedelta(days=89)),
        ):
            per_day = _ms(
                lambda s=start: analytics.days(session=session, actor=admin, start=s, end=END)
            )
            whole = _ms(
                lambda s=start: analytics.dashboard(session=session, actor=admin, start=s, end=END)
            )
            top = _ms(lambda s=start: analytics.top_users(session=session, start=s, end=END))
            active = _ms(lambda s=start: analytics.active_users(session=session, start=s, end=END))
            print(
                f"  {label}: per-day series {per_day:5.1f} ms, top users {top:5.1f} ms, "
                f"active users {active:5.1f} ms, whole dashboard {whole:6.1f} ms"
            )


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", make_engine(f"sqlite:///{tmp}/admin.db"), calls)
    with temporary_postgres() as engine:
        if engine is not None:
            bench("PostgreSQL", engine, calls)


if __name__ == "__main__":
    main()
