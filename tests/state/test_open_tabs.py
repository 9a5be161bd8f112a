"""A closed tab's states are freed within minutes; an open tab's are kept however long it
sits idle. Reflex's own in-memory state manager does the expiring (at the lifetime
rxconfig gives it); `open_tabs.keep_states` is what the live task runs each round."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex.state import State
from reflex.utils.token_manager import LocalTokenManager

import rxconfig
from callplatform import config
from callplatform.state import open_tabs
from tests.helpers import run_async


def test_in_memory_a_closed_tabs_states_live_minutes_not_an_hour(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CLOSED_TAB_STATE_SECONDS", raising=False)
    config.reset_settings()
    options = rxconfig.state_options(config.get_settings())
    assert options["state_manager_mode"] == "memory"
    assert 60 <= options["redis_token_expiration"] <= 10 * 60
    monkeypatch.setenv("CLOSED_TAB_STATE_SECONDS", "90")
    config.reset_settings()
    assert rxconfig.state_options(config.get_settings())["redis_token_expiration"] == 90
    config.reset_settings()


def _app(manager: StateManagerMemory, sockets: LocalTokenManager):
    """What `keep_states` reads of the app: its state manager and its sockets."""
    return SimpleNamespace(state_manager=manager, event_namespace=SimpleNamespace(
        _token_manager=sockets))  # fmt: skip


def test_an_open_idle_tab_keeps_its_states_and_a_closed_ones_are_freed():
    async def scenario():
        manager = StateManagerMemory(token_expiration=1)
        sockets = LocalTokenManager()
        for token in ("open-tab", "closed-tab"):
            root = await manager.get_state(BaseStateToken(ident=token, cls=State))
            root.is_hydrated = True  # what a page load leaves behind
            await sockets.link_token_to_sid(token, f"sid-{token}")
        await sockets.disconnect_token("closed-tab", "sid-closed-tab")
        app = _app(manager, sockets)
        for _ in range(10):  # 2.5 s: both tabs idle, the live task's rounds go on
            assert await open_tabs.keep_states(app) == 1
            await asyncio.sleep(0.25)
        kept = set(manager.states)
        await manager.close()
        return kept, manager

    kept, manager = run_async(scenario())
    assert kept == {"open-tab"}
    assert manager.states["open-tab"].is_hydrated is True  # the same state, not a new one


def test_with_redis_states_are_left_to_redis(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    config.reset_settings()
    assert rxconfig.state_options(config.get_settings()) == {
        "state_manager_mode": "redis",
        "redis_url": "redis://127.0.0.1:6379/0",
    }
    config.reset_settings()
    not_in_memory = SimpleNamespace(state_manager=object(), event_namespace=None)
    assert run_async(open_tabs.keep_states(not_in_memory)) == 0
