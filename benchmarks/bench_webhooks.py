"""Signed status callbacks against the server that ships, beside a bare baseline.

Ours is the whole app as `scripts/run.sh` serves it (`scripts/serve.sh`: migrations, the
production build, Reflex's production mode under granian, one worker); the bare app
(`bare_webhook.py`: one HMAC, a direct url-decode, one UPSERT) runs under the same granian,
started by the same Reflex function. Each gets a fresh database: SQLite files, then
throw-away PostgreSQL databases. wrk (`load.py`) sends pre-signed `initiated` callbacks for
distinct calls over keep-alive connections to 127.0.0.1; at each level, rounds alternate
between the two apps so the shared machine's drift weighs on both alike. Printed per
level: requests/s, p50 and p99 over all rounds, errors (answers >= 400, socket errors),
our throughput as a share of the bare app's, and the client's ceiling (a trivial endpoint
on the bare server, same client): it must sit well above both.

Needs wrk on PATH (Debian: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import bare_webhook, load, pg, servers  # noqa: E402
from callplatform.telephony.signatures import compute_signature  # noqa: E402

STATUS_URL = servers.PUBLIC_BASE_URL + bare_webhook.STATUS_PATH
NOOP = b"GET /noop HTTP/1.1\r\nHost: bench.local\r\n\r\n"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add(
        "--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    add("--levels", nargs="+", type=int, default=[1, 16, 64], help="connections per level")
    add("--rounds", type=int, default=6, help="rounds per app and level, alternating (6)")
    add("--seconds", type=int, default=2, help="length of one round, whole seconds (2)")
    add("--warmup", type=int, default=3, help="seconds of unmeasured load per app first (3)")
    add("--ours-port", type=int, default=18700)
    add("--bare-port", type=int, default=18701)
    add("--postgres-url", default=pg.ADMIN_URL, help="a server to create databases on")
    add("--ours-db", help="PostgreSQL database to create for ours (default: bench_<random>)")
    add("--bare-db", help="PostgreSQL database to create for the bare app")
    add("--sqlite-dir", help="folder for the SQLite files (default: a temporary one)")
    add("--skip-build", action="store_true", help="reuse the frontend build in .web (prebuilt.py)")
    add("--logs", help="folder for the servers' logs (default: a temporary one, printed)")
    return parser.parse_args()


class Requests:
    """Signed `initiated` callbacks, each for a call never seen before."""

    def __init__(self) -> None:
        self.next_call = 0

    def take(self, n: int) -> list[bytes]:
        out = []
        for i in range(self.next_call, self.next_call + n):
            params = {
                "AccountSid": servers.ACCOUNT,
                "CallSid": f"CA{i:032d}",
                "From": "+14155550100",
                "To": "+12125550123",
                "Direction": "outbound-dial",
                "CallStatus": "initiated",
                "SequenceNumber": "0",
            }
            token = bare_webhook.TOKEN
            signature = compute_signature(auth_token=token, url=STATUS_URL, params=params)
            body = urlencode(params).encode()
            out.append(
                f"POST {bare_webhook.STATUS_PATH} HTTP/1.1\r\nHost: bench.local\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"X-Twilio-Signature: {signature}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
        self.next_call += n
        return out


@contextlib.contextmanager
def _databases(backend: str, args):
    """(ours, ours' sandbox, bare) database URLs, fresh; None when PostgreSQL is away."""
    if backend == "sqlite":
        with servers.sqlite_files(args.sqlite_dir) as urls:
            yield urls
        return
    with contextlib.ExitStack() as stack:
        urls = []
        for name in (args.ours_db, args.bare_db):
            engine = stack.enter_context(pg.temporary_postgres(name, args.postgres_url))
            if engine is None:
                yield None
                return
            urls.append(engine.url.render_as_string(hide_password=False))
        sandbox = Path(stack.enter_context(tempfile.TemporaryDirectory()), "sandbox.db")
        yield urls[0], f"sqlite:///{sandbox}", urls[1]


def _measure(args, ports: dict[str, int]) -> dict:
    """Every level: the client's ceiling, then rounds alternating between the apps."""
    requests, results = Requests(), {}
    for port in ports.values():  # warm-up, not counted
        load.run(port, requests.take(3000 * args.warmup), 16, args.warmup)
    for level in args.levels:
        ceiling = load.summary([load.run(ports["bare"], [NOOP], level, 1, cycle=True)])
        budget = int(max(ceiling["rps"], 3000) * args.seconds * 1.5) + level
        rounds = {name: [] for name in ports}
        for i in range(args.rounds):
            for name in sorted(ports, reverse=i % 2 == 1):
                rounds[name].append(
                    load.run(ports[name], requests.take(budget), level, args.seconds)
                )
                if rounds[name][-1].exhausted:  # faster than the ceiling said: more next time
                    budget *= 2
        results[level] = {"ceiling": ceiling["rps"]}
        results[level].update({name: load.summary(rounds[name]) for name in ports})
    return results


def _run(backend: str, args, logs: Path) -> dict | None:
    with contextlib.ExitStack() as stack:
        urls = stack.enter_context(_databases(backend, args))
        if urls is None:
            return None
        ours_url, sandbox_url, bare_url = urls
        print(f"{backend}: starting both servers (ours builds its frontend first)", flush=True)
        stack.enter_context(
            servers.bare(
                port=args.bare_port, database_url=bare_url, log=logs / f"bare-{backend}.log"
            )
        )
        stack.enter_context(
            servers.ours(
                port=args.ours_port,
                database_url=ours_url,
                sandbox_url=sandbox_url,
                log=logs / f"ours-{backend}.log",
                skip_build=args.skip_build,
            )
        )
        servers.seed_ours(ours_url, bare_webhook.TOKEN)
        return _measure(args, {"bare": args.bare_port, "ours": args.ours_port})


def _print(backend: str, args, results: dict) -> None:
    print(
        f"\nsigned status callbacks, {backend}, {args.rounds} rounds x {args.seconds:g} s per "
        "app and level, granian (1 worker) on 127.0.0.1; latency in ms"
    )
    print(
        f"{'conns':>5} | {'bare rps':>8} {'p50':>6} {'p99':>6} | {'ours rps':>8} {'p50':>6} "
        f"{'p99':>6} | {'errors':>6} | {'ratio':>5} | client ceiling"
    )
    for level in args.levels:
        b, o = results[level]["bare"], results[level]["ours"]
        print(
            f"{level:>5} | {b['rps']:>8.0f} {b['p50']:>6.1f} {b['p99']:>6.1f} | {o['rps']:>8.0f} "
            f"{o['p50']:>6.1f} {o['p99']:>6.1f} | {b['errors'] + o['errors']:>6} | "
            f"{o['rps'] / b['rps']:>5.2f} | {results[level]['ceiling']:.0f} rps"
        )
        if b["exhausted"] + o["exhausted"]:
            print(f"      ({b['exhausted'] + o['exhausted']} rounds ran out of requests)")


def main() -> None:
    args = _arguments()
    if not load.available():
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    with contextlib.ExitStack() as stack:
        logs = Path(args.logs or stack.enter_context(tempfile.TemporaryDirectory()))
        logs.mkdir(parents=True, exist_ok=True)
        for backend in args.databases:
            results = _run(backend, args, logs)
            if results is not None:
                _print(backend, args, results)


if __name__ == "__main__":
    main()
