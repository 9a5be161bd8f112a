"""Background sweeps while the app runs: forget expired login counters, settle interrupted
number purchases and re-read from Twilio the calls and recordings whose callbacks never
arrived.

Every worker process runs this loop; each round runs on one of them: the worker whose
conditional UPDATE moves the round's lease forward (`claim_round`). The database's row
lock decides between workers asking at once; no worker is a leader, and a worker that dies
holds nothing (the next round is claimed when it falls due).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from callplatform.accounts import throttle
from callplatform.callbacks import reconcile
from callplatform.config import get_settings
from callplatform.db import session_scope
from callplatform.messaging import media, pricing
from callplatform.models import SweepLease
from callplatform.models.base import utcnow
from callplatform.numbers import inventory

log = logging.getLogger(__name__)
LEASE = "repair-and-reconcile"


def claim_round(*, name: str = LEASE, interval_seconds: float) -> bool:
    """True for the one caller that may run this round of `name` (none ran in the last
    `interval_seconds`); everyone else, in this process or another, gets False."""
    now = utcnow()
    due = now - timedelta(seconds=interval_seconds * 0.9)  # a timer firing a little early
    with session_scope() as session:
        claimed = session.execute(
            update(SweepLease)
            .where(SweepLease.name == name, SweepLease.started_at <= due)
            .values(started_at=now)
        ).rowcount
        if claimed or session.get(SweepLease, name) is not None:
            return bool(claimed)
    try:  # the very first round: the row does not exist yet
        with session_scope() as session:
            session.add(SweepLease(name=name, started_at=now))
        return True
    except IntegrityError:
        return False  # another worker created it first, and runs this round


def run_once() -> None:
    with session_scope() as session:
        throttle.prune(session=session)
    with session_scope() as session:
        inventory.repair_pending_numbers(session=session)
    with session_scope() as session:
        reconcile.reconcile_calls(session=session, open_after=reconcile.OPEN_AFTER)
    with session_scope() as session:
        reconcile.reconcile_recordings(session=session)
    with session_scope() as session:
        pricing.price_messages(session=session)
    with session_scope() as session:
        media.fetch_inbound(session=session)


def _round(interval: float) -> bool:
    if not claim_round(interval_seconds=interval):
        return False
    run_once()
    return True


async def sweep_forever() -> None:
    """A lifespan task: first round at start (repairs what a crash left), then periodic;
    each round on one worker."""
    interval = get_settings().sweep_interval_seconds
    while True:
        try:
            await asyncio.to_thread(_round, interval)
        except Exception:  # noqa: BLE001 - a failed sweep is retried next interval
            log.exception("sweep failed; retrying in %s s", interval)
        await asyncio.sleep(interval)
