"""The app as `scripts/run.sh` serves it, for the push benchmark: `reflex db migrate`,
then `reflex run --env prod --single-port` (granian; the frontend build in `.web` is
reused when present), bound to 127.0.0.1 only, on a database of the benchmark's own.

Also the server's resident memory (psutil, the whole process tree: Reflex's launcher,
granian's supervisor and its workers) and, on PostgreSQL, the database's own counters
of transactions and rows read, which count every statement whoever sends it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
SECRET = "pushbench-secret-0123456789abcdef"
START_TIMEOUT_S = 600


def app_env(*, port: int, database_url: str, workdir: Path, redis_url: str = "", workers: int = 1):
    """The environment the server and the benchmark's own reads of its database share."""
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "SANDBOX_DATABASE_URL": f"sqlite:///{workdir / 'twilio_sandbox.db'}",
        "APP_PORT": str(port),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        # The benchmark's calls exist only in our database: the reconciliation sweep
        # would ask the sandbox about each one. It is not what is measured here.
        "SWEEP_INTERVAL_SECONDS": "3600",
        "REFLEX_USE_NPM": "1",
        "GRANIAN_WORKERS": str(workers),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    env.pop("TWILIO_ACCOUNT_SID", None)
    return env


class AppServer:
    """One `reflex run --env prod` process tree; a context manager."""

    def __init__(self, env: dict, workdir: Path) -> None:
        self.env, self.workdir = env, workdir
        self.port = int(env["APP_PORT"])
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> AppServer:
        reflex = [sys.executable, "-m", "reflex"]
        subprocess.run(
            [*reflex, "db", "migrate"],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        log = open(self.workdir / "app.log", "w")  # noqa: SIM115 - the child writes it
        port = str(self.port)
        self.proc = subprocess.Popen(
            [
                *reflex,
                "run",
                "--env",
                "prod",
                "--single-port",
                "--frontend-port",
                port,
                "--backend-port",
                port,
                "--backend-host",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                tail = (self.workdir / "app.log").read_text()[-3000:]
                raise RuntimeError(f"the app did not start:\n{tail}")
            time.sleep(1)
        return self

    def _answers(self) -> bool:
        try:
            reply = httpx.get(f"{self.url}/login", timeout=2, follow_redirects=True)
            return reply.status_code == 200
        except httpx.HTTPError:
            return False

    def __exit__(self, *exc) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):  # it may have exited on its own
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc = None

    def processes(self) -> list[psutil.Process]:
        root = psutil.Process(self.proc.pid)
        return [root, *root.children(recursive=True)]

    def rss_kib(self) -> float:
        """Resident memory of the whole tree (shared pages counted once per process:
        the figure that matters is its change, which lands in the workers' own pages)."""
        total = 0
        for proc in self.processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                total += proc.memory_info().rss
        return total / 1024


def postgres_counters(database_url: str) -> tuple[int, int] | None:
    """(index and sequential scans, rows written) on this PostgreSQL database's tables so
    far, or None on SQLite. Every statement that reads a table scans it at least once,
    whoever sends it; autovacuum's work is not counted (it would be in pg_stat_database's
    transactions). Backends report with a delay of up to PGSTAT_IDLE_INTERVAL (10 s)."""
    if not database_url.startswith("postgresql"):
        return None
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0),"
                " coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables"
            ).one()
        return int(row[0]), int(row[1])
    finally:
        engine.dispose()
