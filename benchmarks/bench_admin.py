"""The admin page's queries with 10,000 users, on SQLite and PostgreSQL, in ms (median):
the dashboard's parts (per-day series, top spenders, active users) and the whole
dashboard over the last 30, 90 and 365 days, and the users list, over two sets of rollups
(and a number per user):

- sparse: 1,000,000 calls over 90 days as the rollups they leave (each user active 9
  days in 90: 100,000 user-days);
- dense: every user active every day of 365 (3,650,000 user-days).

Run: .venv/bin/python benchmarks/bench_admin.py [sparse|dense|both]
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
from callplatform.admin import analytics, users  # noqa: E402

try:
    from callplatform.billing import usage_to_date
except ImportError:  # the code before figures to date (to measure it again)
    usage_to_date = None
from callplatform.db import make_engine  # noqa: E402
from callplatform.models import (  # noqa: E402
    DailyTotal,
    DailyUsage,
    Role,
    User,
    UserPhoneNumber,
    Workspace,
    WorkspaceMember,
)

USERS, CALLS = 10_000, 1_000_000
END = date(2026, 11, 24)
SUMS = ("calls", "failed_calls", "call_seconds", "twilio_cost", "markup")


def _sparse():
    """One row per user and day with activity, from 1,000,000 calls over 90 days."""
    rollup: dict[tuple[date, int], list] = {}
    for i in range(CALLS):  # each synthetic call lands on a user and a day
        row = rollup.setdefault((END - timedelta(days=i % 90), 1 + i % USERS), [0, 0, 0])
        row[0] += 1
        row[1] += i % 11 == 0
        row[2] += 30 + i % 300
    for (d, u), (c, f, s) in rollup.items():
        yield d, u, c, f, s


def _dense():
    """Every user on every day of 365."""
    for back in range(365):
        d = END - timedelta(days=back)
        for u in range(1, USERS + 1):
            c = 1 + (u * 7 + back) % 5
            yield d, u, c, int((u + back) % 11 == 0), 40 * c + u % 60


def _rows(kind: str):
    for d, u, c, f, s in _sparse() if kind == "sparse" else _dense():
        cost = Decimal("0.014") * c + Decimal(u % 97) / 1000
        yield {
            "day": d,
            "workspace_id": u,  # the user's personal workspace (its id the user's)
            "calls": c,
            "failed_calls": f,
            "call_seconds": s,
            "twilio_cost": cost,
            "markup": (cost / 5).quantize(Decimal("0.00001")),
        }


def _fill(engine, kind: str) -> None:
    SQLModel.metadata.create_all(engine)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            User.__table__.insert(),
            [
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
            ],
        )
        conn.execute(
            Workspace.__table__.insert(),
            [
                {"id": i, "name": f"u{i}", "personal": True, "created_at": now}
                for i in range(1, USERS + 1)
            ],
        )
        conn.execute(
            WorkspaceMember.__table__.insert(),
            [
                {"workspace_id": i, "user_id": i, "role": "owner", "joined_at": now}
                for i in range(1, USERS + 1)
            ],
        )
        conn.execute(
            UserPhoneNumber.__table__.insert(),
            [
                {
                    "user_id": i,
                    "workspace_id": i,
                    "phone_number": f"+1415{i:07d}",
                    "friendly_name": "",
                    "country": "US",
                    "voice_capable": True,
                    "sms_capable": False,
                    "mms_capable": False,
                    "price_unit": "USD",
                    "record_calls": False,
                    "status": "active",
                    "purchased_at": now,
                }  # fmt: skip
                for i in range(1, USERS + 1)
            ],
        )
    totals: dict[date, dict] = {}
    batch, count = [], 0
    for row in _rows(kind):
        t = totals.setdefault(row["day"], {"day": row["day"], **dict.fromkeys(SUMS, 0)})
        for key in SUMS:
            t[key] += row[key]
        batch.append(row)
        if len(batch) == 50_000:
            with engine.begin() as conn:
                conn.execute(DailyUsage.__table__.insert(), batch)
            count, batch = count + len(batch), []
    with engine.begin() as conn:
        if batch:
            conn.execute(DailyUsage.__table__.insert(), batch)
        conn.execute(DailyTotal.__table__.insert(), list(totals.values()))
        if usage_to_date is not None:
            usage_to_date.rebuild(conn)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE" if engine.dialect.name == "sqlite" else "VACUUM ANALYZE")
    print(f"  {kind}: {count + len(batch):,} user-days for {USERS:,} users")


def _ms(fn, runs: int = 11) -> str:
    """ "median / best" of the runs (the best: its own cost on a shared machine)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        if times[0] > 200 and len(times) == 3:
            break
    return f"{statistics.median(times):6.1f} / {min(times):6.1f}"


def bench(name: str, engine, kind: str) -> None:
    print(f"\n{name}")
    start = time.perf_counter()
    _fill(engine, kind)
    print(f"  filled in {time.perf_counter() - start:.0f} s")
    with Session(engine) as session:
        admin = session.get(User, 1)
        for span in (30, 90, 365):
            s = END - timedelta(days=span - 1)
            figures = {
                "per-day": lambda s=s: analytics.days(
                    session=session, actor=admin, start=s, end=END
                ),
                "top users": lambda s=s: analytics.top_users(session=session, start=s, end=END),
                "active": lambda s=s: analytics.active_users(session=session, start=s, end=END),
                "dashboard": lambda s=s: analytics.dashboard(
                    session=session, actor=admin, start=s, end=END
                ),
            }
            print(
                f"  last {span:>3} days: "
                + ", ".join(f"{k} {_ms(fn)} ms" for k, fn in figures.items())
            )
        listing = {
            "users list": lambda: users.list_users(session=session, actor=admin),
            "search": lambda: users.list_users(session=session, actor=admin, search="u9999@"),
            "no match": lambda: users.list_users(session=session, actor=admin, search="zz"),
        }
        print("  " + ", ".join(f"{k} {_ms(fn)} ms" for k, fn in listing.items()))
    print(f"  load average {os.getloadavg()[0]:.1f}; figures: median / best")


def main() -> None:
    kinds = {"both": ("sparse", "dense")}.get(sys.argv[1] if len(sys.argv) > 1 else "both")
    for kind in kinds or (sys.argv[1],):
        with tempfile.TemporaryDirectory() as tmp:
            bench(f"SQLite, {kind}", make_engine(f"sqlite:///{tmp}/admin.db"), kind)
        with temporary_postgres() as engine:
            if engine is not None:
                bench(f"PostgreSQL, {kind}", engine, kind)


if __name__ == "__main__":
    main()
