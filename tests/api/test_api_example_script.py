"""The README's API example, run as a user would (a separate process using only httpx)
against the api with the sandbox behind it: it buys a number, places a call, and reads
the call log and usage."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import func, select

from callplatform import config
from callplatform.db import session_scope
from callplatform.models import TwilioCall, UserPhoneNumber
from tests.helpers import PASSWORD, make_user

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "api_example.py"


def test_the_readme_api_example_works_end_to_end(telephony, monkeypatch):
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.02")
    config.reset_settings()
    make_user("script@example.com")
    env = dict(
        os.environ, CP_BASE_URL=telephony, CP_EMAIL="script@example.com", CP_PASSWORD=PASSWORD
    )
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--wait", "60"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "bought +1 (415) " in run.stdout and "usage " in run.stdout
    assert "number_monthly" in run.stdout
    with session_scope() as s:
        assert s.exec(select(func.count()).select_from(UserPhoneNumber)).one() == 1
        statuses = s.exec(select(TwilioCall.status)).all()
    assert statuses == ["completed", "completed"]


def test_the_example_reports_api_errors_and_exits_non_zero(telephony):
    env = dict(os.environ, CP_BASE_URL=telephony, CP_EMAIL="nobody@example.com", CP_PASSWORD="x")
    run = subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode != 0 and "401 unauthenticated" in run.stderr
