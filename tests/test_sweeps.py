"""Each round of the background sweep runs on one worker, however many ask at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from callplatform import sweeps
from callplatform.db import session_scope
from callplatform.models import SweepLease

INTERVAL = 60.0


def _race(askers: int = 8) -> list[bool]:
    with ThreadPoolExecutor(askers) as pool:
        return list(
            pool.map(lambda _: sweeps.claim_round(interval_seconds=INTERVAL), range(askers))
        )


def _age_lease(seconds: float) -> None:
    with session_scope() as session:
        lease = session.get(SweepLease, sweeps.LEASE)
        lease.started_at -= timedelta(seconds=seconds)


def test_one_worker_runs_each_round(db_url):
    assert sorted(_race()) == [False] * 7 + [True]  # the first round ever
    assert _race() == [False] * 8  # not due again yet
    _age_lease(INTERVAL / 2)
    assert _race() == [False] * 8  # half an interval later: still not
    _age_lease(INTERVAL)
    assert sorted(_race()) == [False] * 7 + [True]  # due: one runs it


def test_rounds_of_other_sweeps_are_their_own(db_url):
    assert sweeps.claim_round(interval_seconds=INTERVAL)
    assert sweeps.claim_round(name="another", interval_seconds=INTERVAL)
    assert not sweeps.claim_round(name="another", interval_seconds=INTERVAL)
