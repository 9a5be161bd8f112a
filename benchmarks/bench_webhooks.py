"""Signed status callbacks: our webhook against a bare Starlette app, side by side.

Each server runs in its own uvicorn process (one worker) on a fresh database (a SQLite
file in WAL mode, then a throw-away PostgreSQL database on 127.0.0.1 when one answers,
both with the app's own engine settings); a separate load process sends pre-signed
`initiated` callbacks for distinct calls over keep-alive HTTP/1.1 connections to
127.0.0.1, at 1, 16 and 64 connections, in rounds that alternate between the two apps.
Prints requests/s, p50 and p99 latency, errors, and our throughput as a share of the
bare app's.
Run: .venv/bin/python benchmarks/bench_webhooks.py [requests-per-level] [sqlite|postgresql]...
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ACCOUNT, TOKEN = "AC" + "1" * 32, "f" * 32
PUBLIC = "http://bench.local"
LEVELS = (1, 16, 64)
ROUNDS = 6  # per level, alternating between the two apps


def _env(url: str, port: int) -> dict:
    return {
        **os.environ,
        "APP_ENV": "test",
        "SECRET_KEY": "bench-secret-0123456789abcdef",
        "DATABASE_URL": url,
        "PUBLIC_BASE_URL": PUBLIC,
        "APP_PORT": str(port),
        "PYTHONPATH": str(ROOT),
    }


def _prepare(url: str) -> None:
    """Schema plus one user whose subaccount signs the callbacks."""
    os.environ.update(_env(url, 0))
    from sqlmodel import SQLModel

    import callplatform.models  # noqa: F401
    import twilio_sandbox.models  # noqa: F401
    from callplatform import config
    from callplatform import db as database
    from callplatform.accounts import auth
    from callplatform.models import TwilioSubaccount
    from callplatform.tenancy import crypto

    config.reset_settings()
    database.reset_engine()
    SQLModel.metadata.create_all(database.get_engine())
    with database.session_scope() as s:
        user = auth.create_user(session=s, email="bench@example.com", password="long enough pw")
        s.add(
            TwilioSubaccount(
                user_id=user.id, account_sid=ACCOUNT, auth_token_encrypted=crypto.encrypt(TOKEN)
            )
        )
    database.reset_engine()


def _requests(n: int, offset: int) -> list[bytes]:
    from callplatform.telephony.signatures import compute_signature

    out = []
    for i in range(n):
        params = {
            "AccountSid": ACCOUNT,
            "CallSid": f"CA{offset + i:032d}",
            "From": "+14155550100",
            "To": "+12125550123",
            "Direction": "outbound-dial",
            "CallStatus": "initiated",
            "SequenceNumber": "0",
        }
        sig = compute_signature(auth_token=TOKEN, url=f"{PUBLIC}/api/twilio/status", params=params)
        body = urlencode(params).encode()
        out.append(
            b"POST /api/twilio/status HTTP/1.1\r\nHost: bench.local\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"X-Twilio-Signature: {sig}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
    return out


async def _worker(port: int, queue: list[bytes], latencies: list[float], errors: list[int]):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while queue:
        request = queue.pop()
        start = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if length:
            await reader.readexactly(length)
        latencies.append(time.perf_counter() - start)
        status = int(head.split(b" ", 2)[1])
        if status >= 300:
            errors.append(status)
    writer.close()


async def _round(port: int, requests: list[bytes], connections: int) -> tuple:
    latencies, errors = [], []
    start = time.perf_counter()
    await asyncio.gather(*[_worker(port, requests, latencies, errors) for _ in range(connections)])
    return latencies, errors, time.perf_counter() - start


def _summary(rounds: list[tuple]) -> dict:
    latencies = sorted(x for lat, _, _ in rounds for x in lat)
    return {
        "rps": len(latencies) / sum(elapsed for _, _, elapsed in rounds),
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": sum(len(errors) for _, errors, _ in rounds),
    }


def _serve(app: str, url: str, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=_env(url, port),
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            asyncio.run(asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 0.2))
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{app} did not start")


@contextlib.contextmanager
def _database(backend: str):
    """A fresh database URL: a SQLite file (WAL), or a throw-away PostgreSQL database."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    from benchmarks.pg import temporary_postgres

    with temporary_postgres() as engine:
        yield None if engine is None else engine.url.render_as_string(hide_password=False)


def _run(backend: str, per_level: int) -> dict:
    """Both servers up at once; each level alternates short rounds between them, so a
    drift in the machine's speed (seen here on PostgreSQL) weighs on both alike."""
    apps = {"bare": "benchmarks.bare_webhook:build", "ours": "benchmarks.bench_webhooks:build_ours"}
    with contextlib.ExitStack() as stack:
        ports = {}
        for index, (name, app) in enumerate(apps.items()):
            url = stack.enter_context(_database(backend))
            if url is None:
                return {}
            _prepare(url)
            ports[name] = 18700 + index
            proc = _serve(app, url, ports[name])
            stack.callback(proc.wait)
            stack.callback(proc.terminate)
        results, offset, chunk = {}, 0, max(per_level // ROUNDS, 1)
        for level in LEVELS:
            rounds = {name: [] for name in apps}
            for i in range(ROUNDS):
                for name in sorted(apps, reverse=i % 2 == 1):
                    reqs = _requests(chunk, offset)
                    offset += chunk
                    rounds[name].append(asyncio.run(_round(ports[name], reqs, level)))
            for name in apps:
                results[(name, level)] = _summary(rounds[name])
    return results


def _print(backend: str, per_level: int, results: dict) -> None:
    print(f"\nsigned status callbacks, {per_level} requests per level, {backend}, 1 process")
    print(
        f"{'conns':>5} | {'bare rps':>9} {'p50':>6} {'p99':>6} | {'ours rps':>9} {'p50':>6} "
        f"{'p99':>6} {'errors':>6} | ratio"
    )
    for level in LEVELS:
        b, o = results[("bare", level)], results[("ours", level)]
        print(
            f"{level:>5} | {b['rps']:>9.0f} {b['p50']:>6.1f} {b['p99']:>6.1f} | {o['rps']:>9.0f} "
            f"{o['p50']:>6.1f} {o['p99']:>6.1f} {o['errors'] + b['errors']:>6} | "
            f"{o['rps'] / b['rps']:.2f}"
        )


def main() -> None:
    per_level = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    backends = sys.argv[2:] or ["sqlite", "postgresql"]
    for backend in backends:
        results = _run(backend, per_level)
        if results:
            _print(backend, per_level, results)


def build_ours():
    """Our real api, wrapped as the product wraps it (with gc frozen after start-up)."""
    import gc

    from callplatform.api.app import build_api, with_fast_paths

    app = with_fast_paths(build_api())
    gc.collect()
    gc.freeze()
    return app


if __name__ == "__main__":
    main()
