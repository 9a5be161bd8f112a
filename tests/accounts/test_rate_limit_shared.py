"""The API request budget: per caller, a sliding minute; with REDIS_URL one budget shared
by every worker process, never overspent by requests racing on several workers."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from callplatform import config
from callplatform.accounts import rate_limit
from callplatform.common.errors import RateLimited
from tests.helpers import REDIS_URL, use_redis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["one process", "redis"])
def budget(request, monkeypatch):
    use_redis(monkeypatch, REDIS_URL if request.param == "redis" else None)
    rate_limit.reset()
    yield request.param
    rate_limit.reset()
    config.reset_settings()


def _try(key: str, limit: int) -> bool:
    try:
        rate_limit.check(key=key, limit=limit)
    except RateLimited:
        return False
    return True


def test_a_caller_gets_the_budget_then_a_wait_others_are_untouched(budget):
    key = uuid.uuid4().hex
    assert [_try(key, 3) for _ in range(3)] == [True] * 3
    with pytest.raises(RateLimited) as refused:
        rate_limit.check(key=key, limit=3)
    assert 1 <= refused.value.retry_after_seconds <= 60
    assert _try(uuid.uuid4().hex, 3)  # another caller's budget is their own


def test_racing_requests_never_overspend(budget):
    key = uuid.uuid4().hex
    with ThreadPoolExecutor(16) as pool:
        passed = list(pool.map(lambda _: _try(key, 5), range(40)))
    assert passed.count(True) == 5


def test_workers_share_one_budget_through_redis(monkeypatch):
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    config.reset_settings()
    key = uuid.uuid4().hex
    other_worker = (
        "from callplatform.accounts import rate_limit\n"
        f"for _ in range(4): rate_limit.check(key={key!r}, limit=4)\n"
    )
    env = {**os.environ, "REDIS_URL": REDIS_URL, "APP_ENV": "test"}
    subprocess.run([sys.executable, "-c", other_worker], cwd=ROOT, env=env, check=True)
    assert not _try(key, 4)  # the other process spent it
    config.reset_settings()
