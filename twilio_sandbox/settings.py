"""The sandbox's two settings, read from the environment (or the project's `.env`) each
time they are asked for, so a test that changes them takes effect at once."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def _dotenv() -> dict[str, str | None]:
    return dotenv_values(PROJECT_ROOT / ".env")


def _value(name: str) -> str | None:
    return os.environ.get(name) or _dotenv().get(name)


def database_url() -> str:
    """SANDBOX_DATABASE_URL; by default a SQLite file beside the product's database."""
    return _value("SANDBOX_DATABASE_URL") or f"sqlite:///{PROJECT_ROOT / 'twilio_sandbox.db'}"


def time_scale() -> float:
    """SANDBOX_TIME_SCALE: the fraction of real time simulated calls wait (tests speed
    them up; 1 is real time). Out-of-range values fall back to real time."""
    try:
        scale = float(_value("SANDBOX_TIME_SCALE") or 1)
    except ValueError:
        return 1.0
    return scale if 0 < scale <= 10 else 1.0
