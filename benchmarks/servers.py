"""The two servers bench_webhooks compares, each on its own fresh database.

Ours is started by `scripts/serve.sh`, the very script `scripts/run.sh` ends in
(migrations, frontend build, `reflex run --env prod --single-port`: granian), with
the settings given as environment. The bare app runs under the same granian, started by
the same Reflex function (`bare_webhook.serve`). Both listen on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = "bench-secret-0123456789abcdef"
PUBLIC_BASE_URL = "http://bench.local"
ACCOUNT = "AC" + "1" * 32
START_TIMEOUT_S = 900  # ours builds the frontend first


def _env(database_url: str, port: int) -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": f"{venv_bin}:{os.environ.get('PATH', '')}",  # as bootstrap.sh leaves it
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_BACKEND_HOST": "127.0.0.1",  # run.sh's default is every interface
        "PYTHONPATH": str(ROOT),
        "APP_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "DATABASE_URL": database_url,
        "APP_PORT": str(port),
    }


def _answers(port: int, path: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as answer:
            return answer.status < 300
    except OSError:
        return False


@contextlib.contextmanager
def _serving(command: list[str], env: dict, port: int, probe: str, log: Path):
    if _answers(port, probe):
        raise SystemExit(f"port {port} is already in use: choose another (--help)")
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its workers are stopped with it
        )  # fmt: skip
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _answers(port, probe):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{command} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def ours(*, port: int, database_url: str, sandbox_url: str, log: Path, skip_build=False):
    env = {**_env(database_url, port), "SANDBOX_DATABASE_URL": sandbox_url}
    command = ["bash", "scripts/serve.sh"]
    if skip_build:  # the same backend on the build already in .web (prebuilt.py)
        serve = f"exec {sys.executable} -m benchmarks.prebuilt {port}"
        command = ["bash", "-c", f"reflex db migrate && {serve}"]
    return _serving(command, env, port, "/api/health", log)


def bare(*, port: int, database_url: str, log: Path):
    command = [sys.executable, "-m", "benchmarks.bare_webhook", str(port)]
    return _serving(command, _env(database_url, port), port, "/noop", log)


def seed_ours(database_url: str, token: str) -> None:
    """One user whose personal workspace's subaccount (AccountSid ACCOUNT, auth token
    `token`) signs the callbacks; in a child process, with the server's settings."""
    code = (
        "import secrets\n"
        "from callplatform.db import session_scope\n"
        "from callplatform.accounts import auth\n"
        "from callplatform.models import TwilioSubaccount\n"
        "from callplatform.tenancy import crypto\n"
        "from callplatform.workspaces import membership\n"
        "with session_scope() as s:\n"
        "    user = auth.create_user(session=s, email='owner@bench.local',\n"
        "        password=secrets.token_urlsafe(18))\n"
        "    workspace = membership.personal_workspace_id(session=s, user_id=user.id)\n"
        f"    s.add(TwilioSubaccount(user_id=user.id, workspace_id=workspace,\n"
        f"        account_sid='{ACCOUNT}', auth_token_encrypted=crypto.encrypt('{token}')))\n"
    )
    env = _env(database_url, 0)
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


@contextlib.contextmanager
def sqlite_files(directory: str | None):
    """Three database URLs (ours, ours' sandbox, bare) in `directory` or a temporary one."""
    with contextlib.ExitStack() as stack:
        folder = directory or stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-"))
        Path(folder).mkdir(parents=True, exist_ok=True)
        names = ("ours.db", "sandbox.db", "bare.db")
        for name in names:
            for suffix in ("", "-wal", "-shm"):  # fresh, even in a reused folder
                Path(folder, name + suffix).unlink(missing_ok=True)
        yield tuple(f"sqlite:///{Path(folder, name)}" for name in names)
