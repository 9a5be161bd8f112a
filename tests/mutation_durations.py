"""A pytest plugin for mutation runs (scripts/mutation.sh loads it): mutmut times each
test by its call alone, and runs a mutant's tests fastest first by that time. A test
whose fixture places calls through the sandbox (a second and more) looks free, so it
ran first for every mutant it reaches. Its setup and teardown are added here while
mutmut collects its stats; outside that run this plugin does nothing."""

from __future__ import annotations

import os

import pytest


@pytest.hookimpl(trylast=True)
def pytest_runtest_makereport(item, call) -> None:
    if call.when == "call" or os.environ.get("MUTANT_UNDER_TEST") != "stats":
        return
    from mutmut.state import state  # only there in mutmut's own runs

    durations = state().duration_by_test
    if item.nodeid in durations:
        durations[item.nodeid] += call.duration
