"""Signed status callbacks: our webhook against a bare Starlette app, side by side.

Each server runs alone in a uvicorn process (one worker) on a fresh SQLite file in WAL
mode; a separate load process sends pre-signed `initiated` callbacks for distinct calls
over keep-alive HTTP/1.1 connections to 127.0.0.1, at 1, 16 and 64 connections.
Prints requests/s, p50 and p99 latency, errors, and our throughput as a share of the
bare app's. Run: .venv/bin/python benchmarks/bench_webhooks.py [requests-per-level]
"""

from __future__ import annotations

import asyncio
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


def _env(db: str, port: int) -> dict:
    return {
        **os.environ,
        "APP_ENV": "test",
        "SECRET_KEY": "bench-secret-0123456789abcdef",
        "DATABASE_URL": f"sqlite:///{db}",
        "PUBLIC_BASE_URL": PUBLIC,
        "APP_PORT": str(port),
        "PYTHONPATH": str(ROOT),
    }


def _prepare(db: str) -> None:
    """Schema plus one user whose subaccount signs the callbacks."""
    os.environ.update(_env(db, 0))
    from sqlmodel import SQLModel

    import callplatform.models  # noqa: F401
    import callplatform.sandbox.models  # noqa: F401
    from callplatform import config
    from callplatform import db as database
    from callplatform.models import TwilioSubaccount
    from callplatform.services import auth, crypto

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


async def _load(port: int, requests: list[bytes], connections: int):
    latencies, errors = [], []
    start = time.perf_counter()
    await asyncio.gather(*[_worker(port, requests, latencies, errors) for _ in range(connections)])
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": len(errors),
    }


def _serve(app: str, db: str, port: int) -> subprocess.Popen:
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
        env=_env(db, port),
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            asyncio.run(asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 0.2))
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{app} did not start")


def main() -> None:
    per_level = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    results = {}
    for name, app in (
        ("bare", "benchmarks.bare_webhook:build"),
        ("ours", "benchmarks.bench_webhooks:build_ours"),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            db = f"{tmp}/bench.db"
            _prepare(db)
            port = 18700 + len(results)
            proc = _serve(app, db, port)
            try:
                offset = 0
                for level in LEVELS:
                    reqs = _requests(per_level, offset)
                    offset += per_level
                    results[(name, level)] = asyncio.run(_load(port, reqs, level))
            finally:
                proc.terminate()
                proc.wait()
    print(f"signed status callbacks, {per_level} requests per level, SQLite WAL, 1 process")
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


def build_ours():
    """Our real webhook app, as the product mounts it (with gc frozen after start-up)."""
    import gc

    from callplatform.api.app import build_api

    app = build_api()
    gc.collect()
    gc.freeze()
    return app


if __name__ == "__main__":
    main()
