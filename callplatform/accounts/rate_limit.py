"""A per-caller request budget for the public API: a sliding one-minute window kept in
this process. Enough for one app process (the default); several processes would each
allow the budget, which only makes the limit looser, never wrong for anyone else."""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from callplatform.common.errors import RateLimited

WINDOW_SECONDS = 60.0
_hits: dict[str, deque[float]] = {}
_lock = threading.Lock()


def check(*, key: str, limit: int, now: float | None = None) -> None:
    """Count one request for `key`; raise RateLimited past `limit` a minute."""
    now = time.monotonic() if now is None else now
    with _lock:
        hits = _hits.setdefault(key, deque())
        while hits and now - hits[0] >= WINDOW_SECONDS:
            hits.popleft()
        if len(hits) >= limit:
            wait = math.ceil(WINDOW_SECONDS - (now - hits[0]))
            raise RateLimited(
                f"Too many requests. Try again in {wait} seconds.",
                retry_after_seconds=max(wait, 1),
            )
        hits.append(now)


def reset() -> None:
    with _lock:
        _hits.clear()
