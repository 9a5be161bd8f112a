"""Live push, measured: webhook accepted -> change visible in the owner's open tabs.

Starts the app as `scripts/run.sh` does (push_server), registers users on the register
page and gives each a number (push_users), opens their tabs on /calls over Reflex's real
websocket protocol (tests/reflex_tab.py), then:
  memory  server RSS before and after opening the tabs: KiB per connected session;
  idle    what idle tabs cost: updates they receive and, on PostgreSQL, the table scans
          (every statement's reads) and rows written in `--idle-seconds` with the tabs
          open, beside the same window before any tab was open;
  push    signed status callbacks at `--rate` a second; for each, when its answer was
          read and when each of the owner's tabs first showed the new status: p50, p99,
          max, and the updates never seen;
  closed  the tabs closed; after `--closed-wait` seconds as many new tabs are opened, and
          the growth in RSS says whether the closed tabs' memory was reused.
Everything listens and connects on 127.0.0.1 only.
Run: .venv/bin/python benchmarks/bench_push.py --help
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import push_load, push_server, push_users  # noqa: E402

# Before counting: the tabs' page loads are over, and their statements reported
# (PostgreSQL's backends report their counts up to 10 s late).
SETTLE_SECONDS = 12


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add = parser.add_argument
    add("--port", type=int, default=18960, help="the app's port on 127.0.0.1")
    add("--database", choices=["sqlite", "postgresql"], default="sqlite")
    add(
        "--postgres-url",
        default=None,
        help="admin URL for the temporary database "
        "(default: BENCH_POSTGRES_URL or postgres@127.0.0.1:5432/test)",
    )
    add("--redis-url", default="", help="REDIS_URL for the app (several workers)")
    add("--workers", type=int, default=1, help="GRANIAN_WORKERS")
    add(
        "--app-env",
        choices=["production", "test"],
        default="production",
        help="test: passwords hashed at the cheapest cost (a faster set-up, nothing else)",
    )
    add("--users", type=int, default=100)
    add("--tabs-per-user", type=int, default=3)
    add("--rate", type=float, default=200.0, help="status callbacks a second")
    add("--seconds", type=float, default=30.0, help="how long callbacks are sent")
    add("--step-seconds", type=float, default=1.0, help="between a call's callbacks")
    add("--connections", type=int, default=32, help="keep-alive connections for callbacks")
    add("--idle-seconds", type=float, default=30.0)
    add("--drain-seconds", type=float, default=30.0, help="longest wait for the last updates")
    add("--no-push", action="store_true", help="skip the callbacks (memory and idle only)")
    add("--chromium", type=int, default=0, metavar="N", help="then N callbacks seen in Chromium")
    add("--set", action="append", default=[], metavar="NAME=VALUE", help="extra server env")
    add(
        "--closed-wait",
        type=float,
        default=0.0,
        help="seconds to wait after closing the tabs before reopening (0: skip)",
    )
    return parser.parse_args()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _latencies(callbacks, tabs) -> tuple[list[float], int]:
    tabs_of: dict[int, list] = {}
    for tab in tabs:
        tabs_of.setdefault(tab.user.user_id, []).append(tab)
    latencies, missing = [], 0
    for callback in callbacks:
        for tab in tabs_of.get(callback.user.user_id, ()):
            seen = tab.seen.get((callback.to_display, callback.step))
            if seen is None:
                missing += 1
            else:
                latencies.append((seen - callback.accepted) * 1000)
    return latencies, missing


@contextlib.contextmanager
def _database(kind: str, workdir: Path, admin_url: str | None):
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'app.db'}"
        return
    if admin_url:
        import os

        os.environ["BENCH_POSTGRES_URL"] = admin_url
    from benchmarks.pg import temporary_postgres

    with temporary_postgres() as engine:
        if engine is None:
            raise SystemExit("PostgreSQL unreachable")
        yield engine.url.render_as_string(hide_password=False)


async def _idle(url: str, tabs, seconds: float) -> dict:
    before, updates = push_server.postgres_counters(url), sum(t.updates for t in tabs)
    await asyncio.sleep(seconds)
    after = push_server.postgres_counters(url)
    out = {"updates": sum(t.updates for t in tabs) - updates}
    if before and after:
        out["table scans"], out["rows written"] = after[0] - before[0], after[1] - before[1]
    return out


async def _measure(args, server: push_server.AppServer, url: str) -> None:
    started = time.monotonic()
    users = await push_users.make_users(server.url, args.users, server.env)
    print(f"{len(users)} users registered with a number in {time.monotonic() - started:.0f} s")
    await asyncio.sleep(SETTLE_SECONDS)
    idle_empty = await _idle(url, [], args.idle_seconds)
    rss_before = server.rss_kib()
    tabs = await push_load.open_tabs(server.url, users, args.tabs_per_user)
    await asyncio.sleep(SETTLE_SECONDS)
    rss_open = server.rss_kib()
    print(
        f"memory: {rss_before / 1024:.0f} MiB -> {rss_open / 1024:.0f} MiB with {len(tabs)} "
        f"tabs open: {(rss_open - rss_before) / len(tabs):.0f} KiB per connected session"
    )
    idle_open = await _idle(url, tabs, args.idle_seconds)
    print(f"idle {args.idle_seconds:.0f} s, no tabs: {idle_empty}; {len(tabs)} tabs: {idle_open}")
    if not args.no_push:
        await _push(args, server, users, tabs)
        print(f"memory after the callbacks: {server.rss_kib() / 1024:.0f} MiB")
    sample = tabs[:: max(1, len(tabs) // 10)] if args.closed_wait > 0 else []
    for tab in sample:
        await push_load.mark(tab)
    await push_load.close_tabs(tabs)
    if sample:
        await _reopen(args, server, users, len(tabs), sample)


def _cpu_seconds(processes) -> float:
    total = 0.0
    for proc in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


async def _push(args, server, users, tabs) -> None:
    callbacks = push_load.schedule(
        server.port, users, rate=args.rate, seconds=args.seconds, step_seconds=args.step_seconds
    )
    me, processes = psutil.Process(), server.processes()
    cpu_before, mine_before = _cpu_seconds(processes), _cpu_seconds([me])
    updates_before = sum(t.updates for t in tabs)
    started = time.monotonic()
    await push_load.send(server.port, callbacks, args.connections)
    sent_for = time.monotonic() - started
    deadline = time.monotonic() + args.drain_seconds
    while _latencies(callbacks, tabs)[1] and time.monotonic() < deadline:
        await asyncio.sleep(0.5)  # the last updates are still on their way
    elapsed = time.monotonic() - started
    server_cpu = (_cpu_seconds(processes) - cpu_before) / elapsed * 100
    client_cpu = (_cpu_seconds([me]) - mine_before) / elapsed * 100
    updates = sum(t.updates for t in tabs) - updates_before
    errors = sum(1 for c in callbacks if c.status != 204)
    lag = sorted(c.sent - (started + c.due) for c in callbacks)
    answers = [(c.accepted - c.sent) * 1000 for c in callbacks]
    latencies, missing = _latencies(callbacks, tabs)
    print(
        f"push: {len(callbacks)} callbacks in {sent_for:.1f} s ({len(callbacks) / sent_for:.0f}/s),"
        f" {errors} not 204; sent behind schedule p99 {_percentile(lag, 0.99) * 1000:.0f} ms; "
        f"answered p50 {statistics.median(answers):.1f} ms, p99 {_percentile(answers, 0.99):.1f}"
        f" ms; {updates} updates to tabs; CPU: server {server_cpu:.0f}%, client {client_cpu:.0f}%"
    )
    if latencies:
        print(
            f"  webhook accepted -> tab shows it, {len(latencies)} (callback, tab) pairs: "
            f"p50 {statistics.median(latencies):.1f} ms, p99 "
            f"{_percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms, "
            f"min {min(latencies):.1f} ms; never seen: {missing}"
        )


async def _reopen(args, server, users, closed: int, sample) -> None:
    """Are the closed tabs' states gone? Asked of a sample (state_kept); and the server's
    memory before and after as many new tabs open."""
    await asyncio.sleep(args.closed_wait)
    kept = sum([await push_load.state_kept(server.url, tab) for tab in sample])
    rss_closed = server.rss_kib()
    again = await push_load.open_tabs(server.url, users, args.tabs_per_user)
    await asyncio.sleep(3)
    rss_again = server.rss_kib()
    print(
        f"{closed} tabs closed, {args.closed_wait:.0f} s later: states still held for "
        f"{kept} of {len(sample)} asked; {rss_closed / 1024:.0f} MiB, then {len(again)} new "
        f"tabs: {rss_again / 1024:.0f} MiB ({(rss_again - rss_closed) / len(again):.0f} KiB each)"
    )
    await push_load.close_tabs(again)


def _chromium(server, webhooks: int) -> None:
    from benchmarks import push_browser

    latencies = push_browser.measure(server, webhooks)
    print(
        f"Chromium, one tab, {len(latencies)} callbacks one at a time: webhook accepted -> DOM "
        f"shows it p50 {statistics.median(latencies):.1f} ms, p99 "
        f"{_percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms"
    )


def main() -> None:
    args = _args()
    with tempfile.TemporaryDirectory(prefix="bench-push-") as tmp:
        workdir = Path(tmp)
        with _database(args.database, workdir, args.postgres_url) as url:
            env = push_server.app_env(
                port=args.port,
                database_url=url,
                workdir=workdir,
                redis_url=args.redis_url,
                workers=args.workers,
            )
            env["APP_ENV"] = args.app_env
            env.update(item.split("=", 1) for item in args.set)
            print(
                f"{args.database}, {args.workers} worker(s)"
                f"{', Redis ' + args.redis_url if args.redis_url else ''}, port {args.port}"
            )
            with push_server.AppServer(env, workdir) as server:
                asyncio.run(_measure(args, server, url))
                if args.chromium:
                    _chromium(server, args.chromium)


if __name__ == "__main__":
    main()
