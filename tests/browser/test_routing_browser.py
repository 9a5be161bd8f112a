"""In Chromium: a user sets business hours and a two-key menu on their number (1: forward
to an outside number, 2: voicemail; voicemail after hours), with the summary following
the form; saves (the button shows it pending); then callers ring the number through the
sandbox (pressing keys there) while it is open, and again after the user moved the
closing time to before now; each call's detail page shows the path it took.

The hours are the real clock's: the user opens today from two hours before now to two
hours after, in a zone (the browser's, so the app's default) where that fits in the day;
"after hours" is today's closing moved to an hour ago. Nothing of ours is replaced. The
editor is pictured at 1280 px and 375 px (test-results/screenshots) and nothing in it
spills out of its box on the phone."""

from __future__ import annotations

import os
import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, register
from tests.browser.pages import api_client, overflowing
from tests.browser.test_calling_browser import _buy_number
from tests.helpers import stored_subaccount

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"
BROWSER_SECRET = "browser-test-secret-0123456789"  # tests/browser/conftest.py's
CALLER = "+12125550142"
OUTSIDE = "(415) 555-0123"  # the sandbox answers it and presses 1 at the whisper
SHOTS = ROOT / "test-results" / "screenshots"
ZONES = ("America/New_York", "Europe/Berlin", "Asia/Tokyo", "America/Los_Angeles",
         "Asia/Kolkata", "Pacific/Auckland")  # fmt: skip
# Sees the save button say "Saving…" however briefly (the pending state).
WATCH_SAVING = """() => { window.__sawSaving = false;
  new MutationObserver(() => { const b = document.querySelector('#save-routing');
    if (b && b.textContent.includes('Saving')) window.__sawSaving = true; })
  .observe(document.body, {subtree: true, childList: true, characterData: true}); }"""


def _zone() -> str:
    """A zone where it is now between 03:00 and 20:59, so today's hours fit around now."""
    return next(z for z in ZONES if 3 <= datetime.now(ZoneInfo(z)).hour <= 20)


def _today_row(page, zone: str):
    today = datetime.now(ZoneInfo(zone)).strftime("%a").lower()
    return page.locator(f".day[data-day='{today}']")


def _set_today(page, zone: str, start: str, end: str) -> None:
    row = _today_row(page, zone)
    tick = row.get_by_role("checkbox")
    if tick.get_attribute("data-state") != "checked":
        tick.click()
    row.locator(".day-open input").fill(start)
    row.locator(".day-close input").fill(end)


def _save(page) -> None:
    page.evaluate(WATCH_SAVING)
    page.click("#save-routing")
    expect(page.locator("#routing-saved")).to_be_visible()
    assert page.evaluate("window.__sawSaving")
    expect(page.locator("#routing-error")).to_have_count(0)


def _ring(app_url: str, creds, number: str, keys: str | None) -> str:
    sid, token = creds
    data = {"From": CALLER, "To": number, **({"Keypresses": keys} if keys is not None else {})}
    placed = httpx.post(
        f"{app_url}/_sandbox/twilio/sandbox/Accounts/{sid}/IncomingCalls.json",
        data=data,
        auth=(sid, token),
    )
    assert placed.status_code in (200, 201), placed.text
    return placed.json()["sid"]


def _ended_call_id(api, call_sid: str) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for c in api.get("/api/twilio/calls").json()["calls"]:
            final = c["status"] in ("completed", "no-answer", "busy", "failed", "canceled")
            if c["call_sid"] == call_sid and final:
                return c["id"]
        time.sleep(1)
    raise AssertionError(f"call {call_sid} never ended")


def _path_shown(page, app_url: str, call_id: int, steps: list[str]) -> None:
    page.goto(f"{app_url}/calls/{call_id}")
    timeline = page.locator("#call-timeline")
    for step in steps:
        expect(timeline).to_contain_text(step, timeout=30_000)


def test_hours_and_a_menu_set_in_the_browser_route_calls(app_url, browser):
    zone = _zone()
    now = datetime.now(ZoneInfo(zone))
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id=zone)
    ctx.set_default_timeout(20_000)
    page = ctx.new_page()
    email = f"route-{uuid.uuid4().hex[:6]}@example.com"
    register(page, app_url, email, PASSWORD)
    number = _buy_number(page, app_url)
    page.locator(f"#my-numbers tr[data-number='{number}'] .number-routing").click()
    expect(page.locator("#routing-summary")).to_contain_text("Default")

    page.click("#hours-on")
    expect(page.locator("#routing-zone")).to_have_value(zone)  # the user's zone
    _set_today(page, zone, f"{now.hour - 2:02d}:00", f"{now.hour + 2:02d}:00")
    page.locator(".when-open-kind").select_option("menu")
    page.fill("#routing-greeting", "Press 1 for sales, 2 to leave a message.")
    first, second = page.locator(".menu-option").nth(0), page.locator(".menu-option").nth(1)
    expect(first.locator(".option-key")).to_have_value("1")
    first.locator(".choice-kind").select_option("forward")
    expect(first.locator(".choice-error")).to_contain_text("Enter the number")  # in words
    first.locator(".forward-to input").fill(OUTSIDE)
    expect(second.locator(".option-key")).to_have_value("2")
    expect(second.locator(".choice-kind")).to_have_value("voicemail")
    expect(page.locator(".when-closed-kind")).to_have_value("voicemail")
    page.fill("#routing-voicemail_greeting", "We're closed. Leave a message.")
    summary = page.locator("#routing-summary")  # follows the form, before any save
    expect(summary).to_contain_text(
        "menu (1: forward to +1 (415) 555-0123, then voicemail; 2: voicemail"
    )
    expect(summary).to_contain_text(f"{zone}")
    _pictures(page)
    _save(page)

    api = api_client(app_url, email, PASSWORD)
    creds = stored_subaccount(os.environ["CP_BROWSER_DB"], email, secret_key=BROWSER_SECRET)
    sales = _ended_call_id(api, _ring(app_url, creds, number, "1"))
    message = _ended_call_id(api, _ring(app_url, creds, number, "2"))

    # After hours: today's closing moved to an hour ago.
    page.reload()
    expect(page.locator("#hours-on")).to_be_checked()
    _set_today(page, zone, f"{now.hour - 2:02d}:00", f"{now.hour - 1:02d}:00")
    _save(page)
    closed = _ended_call_id(api, _ring(app_url, creds, number, "1"))

    _path_shown(page, app_url, sales, ["Business hours: open", "Menu: pressed 1",
                                       "Forwarded to +1 (415) 555-0123", "Answered"])  # fmt: skip
    _path_shown(page, app_url, message, ["Business hours: open", "Menu: pressed 2",
                                         "Went to voicemail"])  # fmt: skip
    _path_shown(page, app_url, closed, ["Business hours: closed", "Went to voicemail"])
    expect(page.locator("#call-timeline")).not_to_contain_text("Menu:")
    api.close()
    ctx.close()


def _pictures(page) -> None:
    """The editor at desktop width, then at 375 px (where nothing may spill out)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The purchase's toast ("... is yours") goes first: it is the Numbers page's, not ours.
    expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=30_000)
    page.screenshot(path=str(SHOTS / "routing-editor-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "routing-editor-phone.png"), full_page=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(500)  # repainted after the scroll
    page.screenshot(path=str(SHOTS / "routing-editor-phone-top.png"))  # as a phone shows it
    assert overflowing(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
