"""The Redis client, when `REDIS_URL` is configured (several workers): what the workers
share besides the database (the live bus, the API request budget). None without it."""

from __future__ import annotations

import functools

import redis

from callplatform.config import get_settings


@functools.cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)


def client() -> redis.Redis | None:
    url = get_settings().redis_url
    return _client(url) if url else None
