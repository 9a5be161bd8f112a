"""A per-caller request budget for the public API: a sliding one-minute window. Kept in
this process, or with `REDIS_URL` (several workers) in Redis, where every worker counts
against the same window (one atomic script per request: no two workers both let the
last request of the budget through)."""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections import deque

from callplatform import shared_redis
from callplatform.common.errors import RateLimited

WINDOW_SECONDS = 60.0
_hits: dict[str, deque[float]] = {}
_lock = threading.Lock()


# Drop hits older than the window; refuse at the limit (answering the oldest hit's time),
# else record this hit. KEYS[1]: the caller; ARGV: now, window, limit, a unique member.
_SLIDING_WINDOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])))
return false
"""


def _refuse(wait_seconds: float) -> RateLimited:
    wait = math.ceil(wait_seconds)
    return RateLimited(
        f"Too many requests. Try again in {wait} seconds.", retry_after_seconds=max(wait, 1)
    )


def check(*, key: str, limit: int, now: float | None = None) -> None:
    """Count one request for `key`; raise RateLimited past `limit` a minute."""
    shared = shared_redis.client()
    if shared is not None:
        now = time.time() if now is None else now
        oldest = shared.eval(
            _SLIDING_WINDOW, 1, f"callplatform:rate:{key}", now, WINDOW_SECONDS, limit,
            uuid.uuid4().hex,
        )  # fmt: skip
        if oldest is not None:
            raise _refuse(WINDOW_SECONDS - (now - float(oldest)))
        return
    now = time.monotonic() if now is None else now
    with _lock:
        hits = _hits.setdefault(key, deque())
        while hits and now - hits[0] >= WINDOW_SECONDS:
            hits.popleft()
        if len(hits) >= limit:
            raise _refuse(WINDOW_SECONDS - (now - hits[0]))
        hits.append(now)


def reset() -> None:
    with _lock:
        _hits.clear()
    shared = shared_redis.client()
    if shared is not None:
        for key in shared.scan_iter("callplatform:rate:*"):
            shared.delete(key)
