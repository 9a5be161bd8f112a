"""Runs one event handler the way Reflex does for a client, and collects everything that
client is given in return: every var of every state in the tab afterwards (computed and
backend vars included), and every event the handler returned or yielded, as the client
receives it (downloads with their data, toasts, redirects, alerts, scripts), following
the handlers it chains on the server.

Handlers may be plain functions, coroutines, generators, async generators or background
tasks (whose `async with self` is a no-op on a state outside the state manager)."""

from __future__ import annotations

import dataclasses
import inspect

from reflex.istate.data import PageData
from reflex.state import State
from reflex_base.event import Event

from tests.as_text import text_of
from tests.state.harness import _run, state_for

# A handler refusing arguments of the wrong shape is fine; anything else it raises fails.
REFUSALS = (TypeError, ValueError, AttributeError)
CHAIN_DEPTH = 3


def page_states() -> list[type[State]]:
    """Every state of the app (Reflex's own internals apart), parents first."""
    found, todo = [], [State]
    while todo:
        cls = todo.pop(0)
        if not cls.__module__.startswith("reflex"):
            found.append(cls)
        todo.extend(sorted(cls.get_substates(), key=lambda c: c.get_full_name()))
    return found


def handlers() -> list[tuple[type[State], str]]:
    """(state, handler name) of every event handler, each once (where it is defined)."""
    seen, out = set(), []
    for cls in page_states():
        for name, handler in sorted(cls.event_handlers.items()):
            if name == "setvar" or handler.fn in seen:  # setvar: Reflex's own
                continue
            seen.add(handler.fn)
            out.append((cls, name))
    return out


def open_tab(state_cls, token: str, params: dict | None = None):
    """A fresh tab signed in with `token` (harness.state_for), on a page whose URL
    holds `params` (e.g. a call's id in /calls/[call_id], ?user= on Usage)."""
    state = state_for(state_cls, token)
    if params:
        root = state._get_root_state()
        root.rx_router_page = PageData(path="/", params={k: str(v) for k, v in params.items()})
    return state


@dataclasses.dataclass
class Outcome:
    events: list[Event] = dataclasses.field(default_factory=list)
    refused: BaseException | None = None
    ran: list[str] = dataclasses.field(default_factory=list)


def run(state, name: str, args: list | dict) -> Outcome:
    outcome = Outcome()
    _run(_drive(state, name, args, outcome, CHAIN_DEPTH))
    return outcome


async def _drive(state, name: str, args, outcome: Outcome, depth: int) -> None:
    fn = type(state).event_handlers[name].fn
    outcome.ran.append(f"{type(state).__name__}.{name}")
    try:
        result = fn(state, **args) if isinstance(args, dict) else fn(state, *args)
        items = await _items(result)
    except REFUSALS as exc:
        outcome.refused = outcome.refused or exc
        return
    for item in items:
        for event in Event.from_event_type(item):
            outcome.events.append(event)
            target = _backend_handler(state, event)
            if target is not None and depth > 0:
                await _drive(target[0], target[1], dict(event.payload), outcome, depth - 1)


async def _items(result) -> list:
    if inspect.isasyncgen(result):
        return [item async for item in result]
    if inspect.isawaitable(result):
        return [await result]
    if inspect.isgenerator(result):
        return list(result)
    return [result]


def _backend_handler(state, event: Event):
    """The state and handler a chained event runs on the server (None: a client event)."""
    path, _, name = event.name.rpartition(".")
    if not path:
        return None
    root = state._get_root_state()
    target = root.get_substate(path.split("."))
    return (target, name) if name in type(target).event_handlers else None


def everything(state, outcome: Outcome) -> str:
    """All the client has now, as text: the tab's vars and the events it was sent."""
    root = state._get_root_state()
    return text_of([_vars(root), [dataclasses.asdict(e) for e in outcome.events]])


def events_text(outcome: Outcome) -> str:
    return text_of([dataclasses.asdict(e) for e in outcome.events])


def _vars(state) -> dict:
    cls = type(state)
    values = {
        name: state.get_value(name)
        for name, field in cls.__fields__.items()
        if getattr(field, "_owner", cls) is cls
    }
    for name in cls.computed_vars:
        try:
            values[name] = getattr(state, name)
        except Exception as exc:  # noqa: BLE001 - a computed var failing is shown, not fatal
            values[name] = repr(exc)
    return {
        state.get_full_name(): values,
        "substates": [_vars(sub) for sub in state.substates.values()],
    }
