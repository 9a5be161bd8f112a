"""The threads blocking work runs in. Handlers and sweeps hand their database and Twilio
calls to the event loop's default executor (`asyncio.to_thread`); Python sizes it for
computing (cores + 4: six threads here), but these threads mostly wait: six Twilio
requests at their 15 s timeout would queue every other user's work behind them. Sized for
waiting instead, and kept under the database pool (10 + 20 overflow) so a thread rarely
waits for a connection."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

WORKERS = 24


async def widen_default_pool() -> None:
    """A lifespan task: give the running loop a pool sized for waiting."""
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="callplatform-io")
    asyncio.get_running_loop().set_default_executor(pool)
