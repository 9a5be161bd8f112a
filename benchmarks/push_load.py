"""The push benchmark's load: open tabs on /calls that note when each call's new status
first shows in their Calls list, and signed status callbacks sent on a fixed schedule.

Each user's calls are numbered; call k is to +1 212 555 0k (k < 50: the Calls page
shows 50 rows), so a tab finds it in its rows by `to_display`. A call lives through
initiated -> ringing -> in-progress -> completed, a step every `step_seconds`, and calls
start at rate/4 a second round-robin over the users, so the callbacks run at `rate`.
Times are `time.monotonic()` (CLOCK_MONOTONIC: one clock for every process here).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from benchmarks.push_users import BenchUser
from callplatform.common.phone_format import display
from callplatform.models import CallStatus
from callplatform.telephony.signatures import compute_signature
from tests.reflex_tab import ReflexTab, substate

STEPS = (CallStatus.INITIATED, CallStatus.RINGING, CallStatus.IN_PROGRESS, CallStatus.COMPLETED)
STEP_OF_LABEL = {status.label: step for step, status in enumerate(STEPS)}
CALLS_STATE = substate("pages___calls___state____calls_state")
ROWS = "rows_rx_state_"
MAX_CALLS_PER_USER = 50  # one page of the Calls list


@dataclass
class Callback:
    """One status callback: when it is due, and what happened to it."""

    due: float  # seconds after the start
    user: BenchUser
    to_display: str
    step: int
    request: bytes
    sent: float = 0.0  # when written (after any wait for a free connection)
    accepted: float = 0.0  # when its answer was read
    status: int = 0


@dataclass
class WatchedTab:
    """A tab on /calls and, per (call, step), when its rows first showed that step."""

    tab: ReflexTab
    user: BenchUser
    seen: dict[tuple[str, int], float] = field(default_factory=dict)
    updates: int = 0

    def on_update(self, update: dict) -> None:
        arrived = next((t for t, u in reversed(self.tab.received) if u is update), None)
        self.tab.received.clear()  # only the arrival time was wanted; keep memory flat
        self.updates += 1
        rows = (update.get("delta") or {}).get(CALLS_STATE, {}).get(ROWS)
        for row in rows or ():
            reached = STEP_OF_LABEL.get(row["status"], -1)
            for step in range(reached + 1):  # a later status shows the earlier ones passed
                self.seen.setdefault((row["to_display"], step), arrived or time.monotonic())


async def open_tabs(base: str, users: list[BenchUser], per_user: int, concurrency: int = 20):
    gate = asyncio.Semaphore(concurrency)

    async def open_one(user: BenchUser) -> WatchedTab:
        async with gate:
            tab = await ReflexTab(base, "/calls", cookie=user.cookie).open(timeout=120)
        watched = WatchedTab(tab, user)
        tab.received.clear()
        tab.on_update = watched.on_update
        return watched

    return await asyncio.gather(*(open_one(u) for u in users for _ in range(per_user)))


async def close_tabs(tabs: list[WatchedTab]) -> None:
    await asyncio.gather(*(t.tab.close() for t in tabs), return_exceptions=True)


MARK = "completed"  # a filter the probed tabs set, which a fresh state would not have


async def mark(watched: WatchedTab) -> None:
    """Leave a trace in the tab's server-side state: its Calls filter."""
    tab = watched.tab
    await tab.send(CALLS_STATE + ".set_filter", {"name": "status", "value": MARK})
    await tab.wait_for(lambda: tab.var(CALLS_STATE, "status") == MARK)


async def state_kept(base: str, closed: WatchedTab) -> bool:
    """Does the server still hold a closed (`mark`ed) tab's states? Its token comes back,
    as a reloaded tab does: the hydrate sends the whole state, with the trace if kept."""
    tab = ReflexTab(base, "/calls", cookie=closed.tab.cookie)
    tab.token = closed.tab.token
    await tab.open()
    try:
        return tab.var(CALLS_STATE, "status") == MARK
    finally:
        await tab.close()


def _request(port: int, user: BenchUser, call: int, step: int) -> tuple[str, bytes]:
    to = f"+1212555{call:04d}"
    params = {
        "AccountSid": user.account_sid,
        "CallSid": f"CA{user.user_id:08x}{call:024x}",
        "From": user.number,
        "To": to,
        "Direction": "outbound-api",
        "CallStatus": STEPS[step].value,
        "SequenceNumber": str(step),
    }
    if STEPS[step] is CallStatus.COMPLETED:
        params["CallDuration"] = "7"
    url = f"http://127.0.0.1:{port}/api/twilio/status"
    signature = compute_signature(auth_token=user.auth_token, url=url, params=params)
    body = urlencode(params).encode()
    head = (
        f"POST /api/twilio/status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"X-Twilio-Signature: {signature}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return display(to), head.encode() + body


def schedule(
    port: int, users: list[BenchUser], *, rate: float, seconds: float, step_seconds: float
) -> list[Callback]:
    """Status callbacks at `rate` a second for about `seconds`, sorted by when due."""
    calls = max(1, int(rate * seconds / len(STEPS)))
    if calls > MAX_CALLS_PER_USER * len(users):
        raise SystemExit(f"{calls} calls over {len(users)} users: more users or fewer seconds")
    per_second = rate / len(STEPS)
    out = []
    for n in range(calls):
        user, call = users[n % len(users)], n // len(users)
        for step in range(len(STEPS)):
            to_display, request = _request(port, user, call, step)
            due = n / per_second + step * step_seconds
            out.append(Callback(due, user, to_display, step, request))
    return sorted(out, key=lambda c: c.due)


async def _connection(port: int, queue: asyncio.Queue) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while (callback := await queue.get()) is not None:
            callback.sent = time.monotonic()
            writer.write(callback.request)
            head = await reader.readuntil(b"\r\n\r\n")
            callback.accepted = time.monotonic()
            callback.status = int(head.split(b" ", 2)[1])
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:") and int(line.split(b":")[1]):
                    await reader.readexactly(int(line.split(b":")[1]))
    finally:
        writer.close()


async def send(port: int, callbacks: list[Callback], connections: int = 32) -> None:
    """Send each callback when due (open loop: a slow answer does not delay the next)."""
    queue: asyncio.Queue = asyncio.Queue()
    workers = [asyncio.create_task(_connection(port, queue)) for _ in range(connections)]
    start = time.monotonic()
    for callback in callbacks:
        if (delay := start + callback.due - time.monotonic()) > 0:
            await asyncio.sleep(delay)
        queue.put_nowait(callback)
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
