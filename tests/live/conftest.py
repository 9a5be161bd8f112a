"""A process's end of the live bus, listening on a loop in its own thread, as the app's
lifespan task does; with `redis` the notices travel through the real Redis server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading

import pytest

from callplatform import config
from callplatform.live import bus

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


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
    if request.param == "redis":
        monkeypatch.setenv("REDIS_URL", REDIS_URL)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    config.reset_settings()
    heard = Notices()
    thread = threading.Thread(target=_listening, args=(heard,), daemon=True)
    thread.start()
    assert heard.ready.wait(10)
    yield heard
    for task in asyncio.all_tasks(heard.loop):
        heard.loop.call_soon_threadsafe(task.cancel)
    thread.join(5)
    config.reset_settings()
