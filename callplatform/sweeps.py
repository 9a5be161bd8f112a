"""Background sweeps while the app runs: settle interrupted number purchases and
re-read from Twilio the calls and recordings whose callbacks never arrived."""

from __future__ import annotations

import asyncio
import logging

from callplatform.callbacks import reconcile
from callplatform.config import get_settings
from callplatform.db import session_scope
from callplatform.numbers import inventory

log = logging.getLogger(__name__)


def run_once() -> None:
    with session_scope() as session:
        inventory.repair_pending_numbers(session=session)
    with session_scope() as session:
        reconcile.reconcile_calls(session=session, open_after=reconcile.OPEN_AFTER)
    with session_scope() as session:
        reconcile.reconcile_recordings(session=session)


async def sweep_forever() -> None:
    """A lifespan task: first run at start (repairs what a crash left), then periodic."""
    interval = get_settings().sweep_interval_seconds
    while True:
        try:
            await asyncio.to_thread(run_once)
        except Exception:  # noqa: BLE001 - a failed sweep is retried next interval
            log.exception("sweep failed; retrying in %s s", interval)
        await asyncio.sleep(interval)
