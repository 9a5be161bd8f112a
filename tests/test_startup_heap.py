"""Once the served app has started, what start-up built is out of the collector's view
(`gc.freeze`): a full collection no longer walks the compiled app on the event loop."""

from __future__ import annotations

import gc

from callplatform import callplatform
from tests.helpers import run_async


def test_the_startup_heap_is_frozen_by_a_lifespan_task():
    assert callplatform.freeze_startup_heap in callplatform.app.get_lifespan_tasks()
    before = gc.get_freeze_count()
    try:
        run_async(callplatform.freeze_startup_heap())
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
