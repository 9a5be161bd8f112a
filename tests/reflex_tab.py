"""A browser tab without the browser: Reflex's websocket protocol (socket.io at `/_event`)
spoken by python-socketio, for tests and benchmarks that need many real tabs.

Like the browser, a tab sends the hydrate event in its CONNECT packet, applies every
delta it is sent, and sends back every event the server queues for it (the page's
on_load events, a pushed `changed`), skipping the browser-only ones (`_call_script`...),
whose scripts it keeps in `scripts`. `log_in` trades a login for the session cookie
exactly as the login page does (a one-time code, then `ESTABLISH_PATH`).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import socketio

ROOT_STATE = "reflex___state____state"
# The socket.io namespace Reflex's events live in: the browser connects to
# `<origin>/_event`, which socket.io reads as path and namespace both.
EVENT_NAMESPACE = "/_event"
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
_REPLACE = re.compile(r"window\.location\.replace\((\".*?\")\)")


def substate(name: str) -> str:
    """The full name of a state under SessionState, e.g. substate("calls___state____calls_state")."""
    return f"{ROOT_STATE}.callplatform___state___session____session_state.callplatform___{name}"


class ReflexTab:
    def __init__(self, base_url: str, path: str = "/", *, cookie: str = "") -> None:
        self.base_url, self.path, self.cookie = base_url.rstrip("/"), path, cookie
        self.token = str(uuid.uuid4())
        self.state: dict[str, dict[str, Any]] = {}
        self.scripts: list[str] = []
        self.received: list[tuple[float, dict]] = []  # (monotonic time, update)
        self.on_update: Callable[[dict], None] | None = None
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("event", self._update, namespace=EVENT_NAMESPACE)

    def _router_data(self) -> dict:
        return {"pathname": self.path, "asPath": self.path}

    async def open(self, timeout: float = 20.0) -> ReflexTab:
        headers = {"Origin": self.base_url}
        if self.cookie:
            headers["Cookie"] = self.cookie
        boot = {"name": HYDRATE, "payload": {}, "router_data": self._router_data()}
        await self.sio.connect(
            f"{self.base_url}?token={self.token}",
            socketio_path="/_event",
            transports=["websocket"],
            headers=headers,
            auth={"event": boot},
            namespaces=[EVENT_NAMESPACE],
            wait_timeout=timeout,
        )
        await self.wait_for(lambda: self.var("", "is_hydrated") is True, timeout=timeout)
        return self

    async def close(self) -> None:
        await self.sio.disconnect()

    async def _update(self, update: Any) -> None:
        if isinstance(update, str):
            update = json.loads(update)
        self.received.append((time.monotonic(), update))
        for name, values in (update.get("delta") or {}).items():
            self.state.setdefault(name, {}).update(values)
        for event in update.get("events") or []:
            if event["name"].startswith("_"):  # for the browser: kept, not run
                self.scripts.append(str((event.get("payload") or {}).get("javascript_code", "")))
            else:
                await self.send(event["name"], event.get("payload") or {})
        if self.on_update is not None:
            self.on_update(update)

    async def send(self, name: str, payload: dict | None = None) -> None:
        event = {"name": name, "payload": payload or {}, "router_data": self._router_data()}
        await self.sio.emit("event", event, namespace=EVENT_NAMESPACE)

    def var(self, state: str, name: str) -> Any:
        """A var's latest value: `state` as `substate()` gives it, "" for the root."""
        full = state or ROOT_STATE
        return self.state.get(full, {}).get(f"{name}_rx_state_")

    async def wait_for(self, check: Callable[[], Any], timeout: float = 20.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if result := check():
                return result
            await asyncio.sleep(0.02)
        raise AssertionError(f"tab {self.path}: condition not reached in {timeout} s")


async def log_in(base_url: str, email: str, password: str) -> str:
    """The session cookie (`name=value`) for a login made as the login page makes it."""
    tab = await ReflexTab(base_url, "/login").open()
    try:
        form = {"email": email, "password": password}
        await tab.send(substate("pages___login____login_state") + ".submit", {"form": form})
        script = await tab.wait_for(
            lambda: next((s for s in tab.scripts if _REPLACE.search(s)), None)
        )
    finally:
        await tab.close()
    path = json.loads(_REPLACE.search(script).group(1))
    async with httpx.AsyncClient(base_url=base_url) as client:
        reply = await client.get(path, follow_redirects=False)
    cookie = reply.cookies.get("cp_session")
    if not cookie:
        raise AssertionError(f"no session cookie from {path}: {reply.status_code}")
    return f"cp_session={cookie}"
