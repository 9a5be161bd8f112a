"""The app as `scripts/run.sh` serves it (migrated, production build, one port, granian),
started for a test session with the environment it is given, and stopped after."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 600


@contextlib.contextmanager
def production_app(env: dict[str, str], port: int, workdir: Path) -> Iterator[str]:
    """The app's base URL, once its login page answers; its output in workdir/app.log."""
    env = {**env, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    reflex = [sys.executable, "-m", "reflex"]
    subprocess.run(
        [*reflex, "db", "migrate"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    ports = ["--frontend-port", str(port), "--backend-port", str(port)]
    with open(workdir / "app.log", "w") as log:
        proc = subprocess.Popen(
            [*reflex, "run", "--env", "prod", "--single-port", *ports],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(proc, url, workdir)
            yield url
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _wait_until_up(proc: subprocess.Popen, url: str, workdir: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            pytest.fail(f"app exited early:\n{(workdir / 'app.log').read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/login", timeout=2, follow_redirects=True).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail("app did not start in time")
        time.sleep(1)
