"""Blocking work waits in a pool sized for waiting: more Twilio requests than cores can be
outstanding while other users' work still finds a thread."""

from __future__ import annotations

import asyncio
import threading
import time

from callplatform import worker_threads


def test_many_waits_run_at_once_in_the_widened_pool():
    async def main() -> float:
        await worker_threads.widen_default_pool()
        started = time.monotonic()
        gate = threading.Barrier(12, timeout=5)  # twelve waiters must all be in at once
        await asyncio.gather(*(asyncio.to_thread(gate.wait) for _ in range(12)))
        return time.monotonic() - started

    assert asyncio.run(main()) < 5  # with cores + 4 threads the barrier would time out
