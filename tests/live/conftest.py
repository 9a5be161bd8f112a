"""A process's end of the live bus, listening on a loop in its own thread, as the app's
lifespan task does; with `redis` the notices travel through the real Redis server."""

from __future__ import annotations

import asyncio
import contextlib
import threading

import pytest

from callplatform import config
from callplatform.live import bus
from tests.helpers import REDIS_URL, use_redis


class Notices:
    """What this process's listener heard: (user id, topics) in arrival order."""

    def __init__(self) -> None:
        self.heard: list[tuple[int, frozenset[str]]] = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()

    def __call__(self, user_id: int, topics: frozenset[str]) -> None:
        self.heard.append((user_id, topics))

    def of(self, user_id: int) -> set[str]:
        return set().union(*[topics for uid, topics in self.heard if uid == user_id])


def _listening(notices: Notices):
    async def run():
        task = asyncio.create_task(bus.listen(notices))
        await asyncio.sleep(0.3)  # subscribed (Redis) or registered (one process)
        notices.ready.set()
        await task

    with contextlib.suppress(asyncio.CancelledError):  # the test is over
        notices.loop.run_until_complete(run())


@pytest.fixture(params=["one process", "redis"])
def notices(request, monkeypatch):
    use_redis(monkeypatch, REDIS_URL if request.param == "redis" else None)
    heard = Notices()
    thread = threading.Thread(target=_listening, args=(heard,), daemon=True)
    thread.start()
    assert heard.ready.wait(10)
    yield heard
    for task in asyncio.all_tasks(heard.loop):
        heard.loop.call_soon_threadsafe(task.cancel)
    thread.join(5)
    config.reset_settings()
