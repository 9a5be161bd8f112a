"""Calls Reflex event handlers the way a client can: any handler, any arguments, with
whatever session token the client holds. No server in between, no mocks of our code."""

from __future__ import annotations

import inspect

from reflex import constants
from reflex.istate.data import RouterData

from callplatform.accounts import auth, sessions
from callplatform.db import session_scope
from tests.helpers import run_async


def login_token(email: str, password: str) -> str:
    with session_scope() as session:
        return auth.login(session=session, email=email, password=password, client="tests").token


def state_for(state_cls, token: str):
    """A fresh state tree, as for a new browser tab whose websocket handshake sent
    `token` as its session cookie (where handlers read it)."""
    root = state_cls.get_root_state()(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {constants.RouteVar.HEADERS: {"cookie": f"{sessions.SESSION_COOKIE}={token}"}}
    )
    return root.get_substate(state_cls.get_full_name().split("."))


_run = run_async


def call(state, handler_name: str, *args):
    """Run one handler to completion; return everything it yielded or returned."""
    fn = type(state).event_handlers[handler_name].fn
    result = fn(state, *args)
    out = []
    if inspect.isasyncgen(result):

        async def drain():
            async for item in result:
                out.append(item)

        _run(drain())
    elif inspect.iscoroutine(result):
        out.append(_run(result))
    elif inspect.isgenerator(result):
        out.extend(result)
    else:
        out.append(result)
    return out
