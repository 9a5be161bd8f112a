"""The call log's pages with 100,000 calls for one user among 1,000,000, on SQLite and
(when reachable on 127.0.0.1) PostgreSQL, in ms per page (list_calls as the pages call
it, rows included; median, best and best CPU time of 15 runs, with the load average:
the machine is shared):

- the first page and page 1,000 (via its cursor) with no filter, as before;
- every combination of number (none / the user's number), direction (none / inbound /
  outbound: the user has no outbound calls), status (none / completed / failed: none
  are / missed), dates (none / a two-day window) and digit search (none / "555": every
  call / "2125550990": 100 calls spread over the history / "3105550177": 200 calls all
  in the oldest 2% / "99999": no call), each at the first page and after a deep cursor
  (the 50,000th newest call): 480 pages. A summary per search, the slowest pages, and
  the plans of one page per filter family.

Run: .venv/bin/python benchmarks/bench_call_log.py [total-calls] [--all] [--only=sqlite|postgresql]
"""

from __future__ import annotations

import itertools
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
from callplatform.models import TwilioCall, WorkspaceRole  # noqa: E402
from callplatform.workspaces.access import Member  # noqa: E402

USERS, TARGET, PAGE = 10, 1, 50
# Each user alone in their personal workspace (its id the user's); the log is read as
# the target acting there, as its owner (what `access.acting_member` resolves).
AS_TARGET = Member(
    workspace_id=TARGET, user_id=TARGET, role=WorkspaceRole.OWNER, number_ids=frozenset()
)
T0 = datetime(2026, 1, 1, tzinfo=UTC)
NUMBERS = (None, 1)
DIRECTIONS = (None, "inbound", "outbound")
STATUSES = (None, "completed", "failed", "missed")
DATES = (None, (T0 + timedelta(days=10), T0 + timedelta(days=12)))
SEARCHES = {"-": "", "many": "555", "few": "2125550990", "old": "3105550177", "none": "99999"}


def _call(i: int) -> dict:
    user = TARGET if i % USERS == 0 else 2 + i % (USERS - 1)
    inbound = i % 2 == 0
    to = f"+1212555{i % 10_000:04d}"
    if user == TARGET and i < 20_000 and i % 100 == 0:
        to = "+13105550177"  # a party called only at the start of the history
    return {
        "workspace_id": user,
        "handled_by": user,
        "number_id": 1 if user == TARGET and i % 3 == 0 else None,
        "call_sid": f"CA{i:032d}",
        "direction": "inbound" if inbound else "outbound",
        "from_number": "+14155550100",
        "to_number": to,
        "status": "busy" if i % 7 == 0 else "completed",
        "last_sequence": 3,
        "missed": inbound and i % 13 == 0,
        "started_at": T0 + timedelta(seconds=i * 3),
        "price_unit": "USD",
        "updated_at": T0,
    }


def _fill_users(engine) -> None:
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
                "INSERT INTO workspaces (id, name, personal, created_at) VALUES (:i, :n, true, :t)"
            ),
            [{"i": i, "n": f"u{i}", "t": T0} for i in range(1, USERS + 1)],
        )
        conn.execute(
            sa.text(
                "INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) "
                "VALUES (:i, :i, 'owner', :t)"
            ),
            [{"i": i, "t": T0} for i in range(1, USERS + 1)],
        )
        conn.execute(
            sa.text(
                "INSERT INTO user_phone_numbers (id, user_id, workspace_id, phone_number_sid, "
                "phone_number, friendly_name, country, voice_capable, sms_capable, "
                "mms_capable, price_unit, record_calls, status, purchased_at) "
                "VALUES (1, 1, 1, 'PN1', '+14155550100', 'n', 'US', true, false, "
                "false, 'USD', false, 'active', :t)"
            ),
            {"t": T0},
        )


def _insert_calls(engine, total: int) -> None:
    insert, step = TwilioCall.__table__.insert(), 50_000
    for start in range(0, total, step):
        with engine.begin() as conn:
            conn.execute(insert, [_call(i) for i in range(start, min(start + step, total))])
            if engine.dialect.name == "postgresql" and "call_parties" in SQLModel.metadata.tables:
                # As autovacuum would while the tables grow: the call triggers' look-ups
                # are planned for tables of their size, not the empty ones they started.
                conn.exec_driver_sql("ANALYZE call_parties, call_party_digits")
    # PostgreSQL as autovacuum keeps it (visibility map set); SQLite with its statistics.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE" if engine.dialect.name == "sqlite" else "VACUUM ANALYZE")


def _fill(engine, total: int) -> None:
    _fill_users(engine)
    _insert_calls(engine, total)


def _time(engine, filters, cursor, runs: int = 15) -> tuple[float, float, float]:
    """(median, best, best CPU) of the runs. On a shared machine the best is the page's
    own cost, the median what it costs while others run; SQLite runs in this process, so
    its CPU time is its own cost whatever the others do."""
    times, cpu = [], []
    with Session(engine) as session:
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            call_log.list_calls(
                session=session,
                member=AS_TARGET,
                filters=filters,
                cursor=cursor,
                limit=PAGE,
            )
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            if times[0] > 20 and len(times) == 3:
                break  # a slow page: three runs tell enough
    return statistics.median(times), min(times), min(cpu)


def _cursor_at(engine, position: int) -> str:
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT id FROM twilio_calls WHERE workspace_id = :u "
                "ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET :o"
            ),
            {"u": TARGET, "o": position - 1},
        ).first()
    with Session(engine) as session:
        return call_log.encode_cursor(session.get(TwilioCall, row.id))


def _plan(engine, filters) -> str:
    if not hasattr(call_log, "explain"):
        return "(the call log before its plans module)"
    with Session(engine) as session:
        return " | ".join(call_log.explain(session=session, member=AS_TARGET, filters=filters))


def _combos():
    for number, direction, status, dates, search in itertools.product(
        NUMBERS, DIRECTIONS, STATUSES, DATES, SEARCHES
    ):
        since, until = dates or (None, None)
        label = "/".join(
            [str(number or "-"), direction or "-", status or "-", "window" if dates else "-"]
        )
        filters = call_log.CallFilters(
            number_id=number,
            direction=direction,
            status=status,
            since=since,
            until=until,
            search=SEARCHES[search],
        )
        yield f"{label}/{search}", search, filters


def bench(name: str, engine, total: int, show_all: bool) -> None:
    start = time.perf_counter()
    _fill(engine, total)
    print(
        f"\n{name}: {total:,} calls, {total // USERS:,} for one user "
        f"(filled in {time.perf_counter() - start:.0f} s)"
    )
    deep = min(1000, total // USERS // PAGE - 1)
    everything = call_log.CallFilters()
    first, deep_page = (
        _time(engine, everything, None),
        _time(engine, everything, _cursor_at(engine, deep * PAGE)),
    )
    print(f"  load average {os.getloadavg()[0]:.1f}; ms per page, median / best / best CPU")
    print(f"  first page      {first[0]:6.2f} / {first[1]:6.2f} / {first[2]:6.2f}")
    print(f"  page {deep:<10,} {deep_page[0]:6.2f} / {deep_page[1]:6.2f} / {deep_page[2]:6.2f}")
    depths = {"first": None, "deep": _cursor_at(engine, total // USERS // 2)}
    results = []
    for label, search, filters in _combos():
        for depth, cursor in depths.items():
            median, best, cpu = _time(engine, filters, cursor)
            results.append((best, median, f"{label} {depth}", search, depth, cpu))
            if show_all:
                print(f"  {label} {depth:<10} {median:8.2f} / {best:8.2f} / {cpu:8.2f}")
    print(f"  {len(results)} filtered pages (number/direction/status/dates/search depth):")
    print(f"  {'search':<6} {'depth':<6} {'typical':>8} {'worst median':>13} {'worst best':>11}"
          f" {'worst CPU':>10} {'> 5 ms (median/best)':>21}  slowest")  # fmt: skip
    for search, depth in itertools.product(SEARCHES, depths):
        rows = sorted(r for r in results if r[3] == search and r[4] == depth)
        medians, bests = [r[1] for r in rows], [r[0] for r in rows]
        over = f"{sum(m > 5 for m in medians)}/{sum(b > 5 for b in bests)}"
        print(
            f"  {search:<6} {depth:<6} {statistics.median(medians):8.2f} {max(medians):13.2f}"
            f" {max(bests):11.2f} {max(r[5] for r in rows):10.2f} {over:>21}  {rows[-1][2]}"
        )
    slowest = sorted(results)[-5:]
    print(
        "  slowest (best):", ", ".join(f"{label} {best:.1f} ms" for best, _, label, *_ in slowest)
    )
    print(f"  load average {os.getloadavg()[0]:.1f}")
    for label, filters in (
        ("none", everything),
        ("direction", call_log.CallFilters(direction="outbound")),
        ("status", call_log.CallFilters(status="failed")),
        ("missed", call_log.CallFilters(status="missed")),
        ("number+status", call_log.CallFilters(number_id=1, status="failed")),
        ("search", call_log.CallFilters(search="99999")),
    ):
        print(f"  plan ({label}): {_plan(engine, filters)}")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    total = int(args[0]) if args else 1_000_000
    show_all = "--all" in sys.argv
    only = {a.removeprefix("--only=") for a in sys.argv if a.startswith("--only=")}
    if not only or "sqlite" in only:
        with tempfile.TemporaryDirectory() as tmp:
            bench("SQLite", make_engine(f"sqlite:///{tmp}/calls.db"), total, show_all)
    if not only or "postgresql" in only:
        with temporary_postgres() as engine:
            if engine is not None:
                bench("PostgreSQL", engine, total, show_all)


if __name__ == "__main__":
    main()
