"""Pushes to a tab: one at a time. What is noticed while a tab's push is unanswered is
owed, merged and pushed when it answers (never lost, never queued behind a stale
refresh); a push never answered stops holding the next back; other tabs go on alone."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from reflex.utils.token_manager import LocalTokenManager

from callplatform.state import pusher as pusher_module
from callplatform.state import tabs
from callplatform.state.pusher import Pusher
from tests.helpers import run_async

ANN, BOB = 1, 2


class FakeNamespace:
    """The app's socket side as the pusher sees it: which tabs are connected, what they got."""

    def __init__(self) -> None:
        self._token_manager = LocalTokenManager()
        self.sent: list[tuple[str, list[str]]] = []

    async def emit_update(self, update, token: str) -> None:
        self.sent.append((token, update))


@pytest.fixture
def setup():
    tabs.clear()
    namespace = FakeNamespace()
    app = SimpleNamespace(event_namespace=namespace)
    yield app, namespace
    tabs.clear()


async def _open(namespace: FakeNamespace, token: str, user_id: int) -> None:
    await namespace._token_manager.link_token_to_sid(token, f"sid-{token}")
    tabs.join(token, user_id)


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_a_busy_tab_gets_one_push_then_what_it_is_owed_merged(setup):
    app, namespace = setup

    async def scenario():
        await _open(namespace, "ann-1", ANN)
        await _open(namespace, "bob-1", BOB)
        pusher = Pusher(app, make_update=lambda topics: topics)
        pusher.notice(ANN, frozenset({"calls"}))
        await _settle()
        assert namespace.sent == [("ann-1", ["calls"])]
        # Ann's tab is refreshing: three more changes, and one of Bob's.
        pusher.notice(ANN, frozenset({"calls"}))
        await _settle()
        pusher.notice(ANN, frozenset({"recordings"}))
        pusher.notice(BOB, frozenset({"numbers"}))
        await _settle()
        assert namespace.sent[1:] == [("bob-1", ["numbers"])]  # Bob's tab was not busy
        pusher.answered("ann-1")
        await _settle()
        assert namespace.sent[2:] == [("ann-1", ["calls", "recordings"])]
        pusher.answered("ann-1")
        pusher.answered("bob-1")
        await _settle()
        assert len(namespace.sent) == 3  # nothing more was owed

    run_async(scenario())


def test_a_push_never_answered_stops_holding_back_what_is_owed(setup, monkeypatch):
    app, namespace = setup
    monkeypatch.setattr(pusher_module, "UNANSWERED_SECONDS", 0.2)

    async def scenario():
        await _open(namespace, "ann-1", ANN)
        pusher = Pusher(app, make_update=lambda topics: topics)
        pusher.notice(ANN, frozenset({"calls"}))
        await _settle()
        pusher.notice(ANN, frozenset({"numbers"}))
        await _settle()
        assert len(namespace.sent) == 1
        await asyncio.sleep(0.3)  # the first push is never answered
        assert namespace.sent == [("ann-1", ["calls"]), ("ann-1", ["numbers"])]

    run_async(scenario())


def test_a_closed_tab_is_dropped_and_its_debt_forgotten(setup):
    app, namespace = setup

    async def scenario():
        await _open(namespace, "ann-1", ANN)
        await _open(namespace, "ann-2", ANN)
        pusher = Pusher(app, make_update=lambda topics: topics)
        await namespace._token_manager.disconnect_token("ann-2", "sid-ann-2")
        pusher.notice(ANN, frozenset({"calls"}))
        await _settle()
        assert namespace.sent == [("ann-1", ["calls"])]
        assert tabs.of_user(ANN) == ["ann-1"]
        assert "ann-2" not in pusher.unanswered and "ann-2" not in pusher.owed

    run_async(scenario())
