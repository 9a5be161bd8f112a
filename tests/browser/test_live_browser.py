"""In Chromium: live by push. An idle tab sends nothing (no timers: no events, so no
queries); a change to the user's calls reaches every one of their tabs without a reload,
and never another user's."""

from __future__ import annotations

import os
import time
import uuid

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register
from tests.browser.pages import api_client
from tests.browser.test_calling_browser import _buy_number
from tests.helpers import stored_subaccount

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"
IDLE_SECONDS = 8  # the old softphone timer fired every 3 s, the Calls page's every 5 s
CHANGED = "live_state.changed"
BROWSER_SECRET = "browser-test-secret-0123456789"  # tests/browser/conftest.py's


class Frames:
    """The Reflex events a tab sends over its websocket: socket.io EVENT packets ("42"),
    not pings nor the (re)connect that carries the hydrate."""

    def __init__(self, page) -> None:
        self.sent: list[str] = []
        page.on("websocket", lambda ws: ws.on("framesent", self._sent))

    def _sent(self, payload) -> None:
        text = payload if isinstance(payload, str) else payload.decode(errors="replace")
        if text.startswith("42"):
            self.sent.append(text)


def _open(context, app_url, path: str):
    page = context.new_page()
    frames = Frames(page)
    page.goto(f"{app_url}{path}")
    return page, frames


def test_idle_tabs_send_nothing_and_each_change_is_pushed_to_its_owner_only(
    app_url, browser, context
):
    email = f"live-{uuid.uuid4().hex[:6]}@example.com"
    setup = context.new_page()
    register(setup, app_url, email, PASSWORD)
    number = _buy_number(setup, app_url)
    setup.close()
    calls, calls_frames = _open(context, app_url, "/calls")
    expect(calls.get_by_text("No calls here yet")).to_be_visible()
    home, home_frames = _open(context, app_url, "/")
    expect(home.locator("#open-dialer")).to_be_visible()

    other = browser.new_context()
    stranger = other.new_page()
    register(stranger, app_url, f"other-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
    stranger_frames = Frames(stranger)
    stranger.goto(f"{app_url}/calls")
    expect(stranger.get_by_text("No calls here yet")).to_be_visible()

    time.sleep(2)  # page loads settle
    for frames in (calls_frames, home_frames, stranger_frames):
        frames.sent.clear()
    time.sleep(IDLE_SECONDS)
    assert calls_frames.sent == [] and home_frames.sent == [] and stranger_frames.sent == []

    # A call placed elsewhere (the public API): both of the owner's tabs follow it.
    api = api_client(app_url, email, PASSWORD)
    placed = api.post(
        "/api/twilio/call",
        json={"from_number": number, "to": "(212) 555-0105", "my_phone": "(646) 555-0199"},
    )
    assert placed.status_code in (200, 201), placed.text
    calls.evaluate("window.__same_page = true")
    row = calls.locator(".call-row").first
    # Click-to-call rings the user's own phone first: the call appears, rings and ends on
    # screen. (Its price comes later, from the sweep: not what this test is about.)
    expect(row).to_contain_text("+1 (646) 555-0199", timeout=30_000)
    expect(row).to_contain_text("Completed", timeout=60_000)
    expect(home.get_by_text("+1 (646) 555-0199").first).to_be_visible()
    assert calls.evaluate("window.__same_page === true")  # never reloaded

    # What the owner's tabs sent was the pushed refresh coming back, nothing else ...
    assert calls_frames.sent and all(CHANGED in frame for frame in calls_frames.sent)
    # ... and the other user's tab was told nothing of it.
    assert not [frame for frame in stranger_frames.sent if CHANGED in frame]
    other.close()


def test_an_incoming_call_rings_an_idle_tab_at_once(app_url, context):
    email = f"ring-{uuid.uuid4().hex[:6]}@example.com"
    page = context.new_page()
    register(page, app_url, email, PASSWORD)
    number = _buy_number(page, app_url)
    page.goto(f"{app_url}/")
    expect(page.locator("#open-dialer")).to_be_visible()
    sid, token = stored_subaccount(os.environ["CP_BROWSER_DB"], email, secret_key=BROWSER_SECRET)

    # Someone calls the number (the sandbox's stand-in for the world).
    incoming = httpx.post(
        f"{app_url}/_sandbox/twilio/sandbox/Accounts/{sid}/IncomingCalls.json",
        data={"From": "+12125550142", "To": number},
        auth=(sid, token),
    )
    assert incoming.status_code in (200, 201), incoming.text
    banner = page.locator("#incoming-call")
    expect(banner).to_contain_text("+1 (212) 555-0142", timeout=10_000)
    page.click("#accept-call")
    expect(page.locator("#call-status")).to_have_text("In call", timeout=20_000)
    expect(page.locator("#call-timer")).to_contain_text(":")  # the browser counts
    expect(page.locator("#call-status")).to_have_text("Call ended", timeout=60_000)
