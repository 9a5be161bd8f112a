"""In Chromium: buy a number with recording on, call from it with the softphone, follow
the call, find it in the call log with its duration and cost, play its recording."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"


def _buy_number(page, app_url) -> str:
    page.goto(f"{app_url}/numbers")
    page.fill("#area-code", "415")
    page.click("#search-numbers")
    buy = page.locator(".buy-number").first
    number = buy.get_attribute("data-number")
    buy.click()
    row = page.locator(f"#my-numbers tr[data-number='{number}']")
    expect(row).to_be_visible()
    row.get_by_role("switch", name="Record calls").click()
    expect(row.get_by_role("switch", name="Record calls")).to_be_checked()
    return number


def test_call_from_the_browser_then_find_and_play_it(app_url, context):
    page = context.new_page()
    register(page, app_url, f"caller-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
    _buy_number(page, app_url)

    page.click("#open-dialer")
    page.fill("#dial-to", "(212) 555-0105")
    expect(page.locator("#dial-display")).to_have_text("+1 (212) 555-0105")
    page.fill("#dial-to", "+44 20 7183 8750")
    page.click("#place-call")
    expect(page.locator("#dial-error")).to_contain_text("aren't enabled")  # refused, and why

    page.fill("#dial-to", "(212) 555-0105")
    page.click("#place-call")
    expect(page.locator("#call-status")).to_have_text("In call", timeout=30_000)
    expect(page.locator("#hang-up")).to_be_visible()
    expect(page.locator("#call-status")).to_have_text("Call ended", timeout=60_000)

    page.goto(f"{app_url}/calls")
    row = page.locator(".call-row").first
    expect(row).to_contain_text("+1 (212) 555-0105")
    expect(row).to_contain_text("Completed")
    expect(row.locator(".call-duration")).to_have_text("0:10")  # 5 + (05 % 20) seconds
    # after the sweep: both legs, $0.014 + $0.004 a minute, plus 20%
    expect(row.locator(".call-cost")).to_have_text("$0.0216", timeout=30_000)

    row.get_by_role("link", name="Details").click()
    expect(page.locator("#call-summary")).to_contain_text("$0.0216")
    audio = page.locator(".recording-audio").first
    expect(audio).to_be_visible(timeout=30_000)
    src = audio.get_attribute("src")
    assert re.fullmatch(r"/api/recordings/\d+/media", src)
    played = page.evaluate(
        """async (src) => {
            const audio = document.querySelector('.recording-audio');
            audio.muted = true;
            await audio.play();
            await new Promise(r => setTimeout(r, 300));
            return {time: audio.currentTime, duration: audio.duration};
        }""",
        src,
    )
    assert played["duration"] > 1 and played["time"] > 0
    response = page.request.get(f"{app_url}{src}")
    assert response.status == 200 and response.body()[:4] == b"RIFF"


def test_recording_media_is_the_owners_only(app_url, browser, context):
    page = context.new_page()
    register(page, app_url, f"own-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
    anonymous = browser.new_context()
    try:
        assert anonymous.request.get(f"{app_url}/api/recordings/1/media").status == 401
    finally:
        anonymous.close()
    # A logged-in user asking for recordings that aren't theirs gets "not found".
    for rid in (1, 2, 3, 999999):
        assert page.request.get(f"{app_url}/api/recordings/{rid}/media").status == 404


def test_twilios_voice_sdk_is_in_the_page_and_idle_in_the_sandbox(app_url, context):
    page = context.new_page()
    register(page, app_url, f"sdk-{uuid.uuid4().hex[:6]}@example.com", "a long browser password")
    page.wait_for_function("() => window.cpVoice !== undefined")
    voice = page.evaluate("() => ({v: window.cpVoice.sdkVersion, on: window.cpVoice.enabled})")
    # The real SDK is bundled (its own version string), but with no Twilio credentials
    # the sandbox's stand-in places calls and no Device is registered.
    assert voice == {"v": "2.18.5", "on": False}
