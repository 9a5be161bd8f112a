"""The live bus: a committed change to a user's data, announced to every process that
may hold one of their tabs.

With one process it is a hop onto that process's event loop. With `REDIS_URL` (several
workers) it is a Redis channel every worker listens to: a webhook lands on one worker, the
tab's websocket may live on another. A notice carries only (user id, topics): the tab
reads what changed itself, through the same checks as any other read.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable, Iterable

import redis.asyncio as aioredis

from callplatform import shared_redis
from callplatform.config import get_settings

CHANNEL_PREFIX = "callplatform:live:"
RETRY_SECONDS = 1.0
log = logging.getLogger(__name__)

Listener = Callable[[int, frozenset[str]], None]  # called on the listening process's loop
_listening: tuple[asyncio.AbstractEventLoop, Listener] | None = None


def channel() -> str:
    """The deployment's channel. Redis's pub/sub ignores database numbers: on one channel,
    deployments (or test runs) sharing a Redis server would push each other's notices to
    whichever of their users had the same id. A deployment is its database and its Redis
    URL (database number included)."""
    settings = get_settings()
    deployment = f"{settings.database_url}|{settings.redis_url}".encode()
    digest = hashlib.sha256(deployment).hexdigest()[:16]
    return CHANNEL_PREFIX + digest


def publish(user_id: int, topics: Iterable[str]) -> None:
    """Announce a committed change to `user_id`'s `topics`. Thread-safe. Never raises: a
    lost notice leaves a tab stale until the next one, it never loses data."""
    topics = frozenset(topics)
    if not topics:
        return
    try:
        shared = shared_redis.client()
        if shared is not None:
            shared.publish(channel(), json.dumps([int(user_id), sorted(topics)]))
        elif _listening is not None:
            loop, listener = _listening
            loop.call_soon_threadsafe(listener, int(user_id), topics)
    except Exception:  # noqa: BLE001 - see the docstring
        log.warning("live notice for user %s lost", user_id, exc_info=True)


def _decode(data: bytes) -> tuple[int, frozenset[str]] | None:
    try:
        user_id, topics = json.loads(data)
        return int(user_id), frozenset(str(t) for t in topics)
    except (ValueError, TypeError):
        return None


async def listen(listener: Listener) -> None:
    """Hand every notice to `listener` on this loop, for as long as the task runs."""
    global _listening
    _listening = (asyncio.get_running_loop(), listener)
    try:
        url = get_settings().redis_url
        if not url:
            await asyncio.Event().wait()  # notices arrive through call_soon_threadsafe
        while True:  # Redis restarts or drops us: subscribe again
            try:
                await _relay(url, listener)
            except Exception:  # noqa: BLE001 - a broken subscription is retried
                log.warning("live bus: Redis subscription lost; retrying", exc_info=True)
            await asyncio.sleep(RETRY_SECONDS)
    finally:
        _listening = None


async def _relay(url: str, listener: Listener) -> None:
    client = aioredis.Redis.from_url(url)
    try:
        async with client.pubsub() as pubsub:
            await pubsub.subscribe(channel())
            async for message in pubsub.listen():
                if message["type"] == "message" and (notice := _decode(message["data"])):
                    listener(*notice)
    finally:
        await client.aclose()
