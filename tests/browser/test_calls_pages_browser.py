"""In Chromium: what a new user meets on the Calls pages (issue 14): the call log follows
a call to its end without a reload, searches say what they can match, the list and a call's
detail read at phone width, and the softphone says why it can't call yet."""

from __future__ import annotations

import os
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register
from tests.browser.test_calling_browser import _buy_number

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"
SHOTS = os.environ.get("CP_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _user_with_a_number(context, app_url):
    page = context.new_page()
    register(page, app_url, f"calls-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
    _buy_number(page, app_url)
    return page


def test_the_call_log_follows_a_call_to_its_end_without_a_reload(app_url, context):
    page = _user_with_a_number(context, app_url)
    page.click("#open-dialer")
    page.fill("#dial-to", "(212) 555-0119")  # the sandbox talks for 5 + 19 seconds
    page.click("#place-call")
    expect(page.locator("#call-status")).to_have_text("In call", timeout=30_000)

    page.get_by_role("link", name="Calls").first.click()  # in the app: no reload
    row = page.locator(".call-row").first
    expect(row).to_contain_text("+1 (212) 555-0119")
    expect(row).to_contain_text("In progress")
    page.evaluate("window.__same_page = true")
    page.click("#hang-up")

    expect(row).to_contain_text("Completed", timeout=20_000)
    expect(row).not_to_contain_text("In progress")
    assert page.evaluate("window.__same_page === true")  # never reloaded


def _a_finished_call(page) -> None:
    page.click("#open-dialer")
    page.fill("#dial-to", "(212) 555-0120")  # 5 + 0 seconds of talk
    page.click("#place-call")
    expect(page.locator("#call-status")).to_have_text("Call ended", timeout=60_000)
    page.click("#open-dialer")  # put the phone away


def test_search_says_what_it_matches_and_filters_that_match_nothing_say_so(app_url, context):
    page = _user_with_a_number(context, app_url)
    _a_finished_call(page)
    page.goto(f"{app_url}/calls")
    expect(page.locator(".call-row")).to_have_count(1)
    search = page.locator("#call-search")
    assert "digits" in search.get_attribute("placeholder")

    search.fill("zzz")  # letters: explained, not ignored
    expect(page.locator("#search-error")).to_contain_text("digits of a phone number")
    expect(page.locator(".call-row")).to_have_count(0)
    expect(page.get_by_text("No calls match these filters")).to_be_visible()
    expect(page.get_by_text("Get a number")).to_have_count(0)

    search.fill("999")  # digits that match no call
    expect(page.locator("#search-error")).to_have_count(0)
    expect(page.get_by_text("No calls match these filters")).to_be_visible()
    _shot(page, "calls-no-match-1280")
    page.click("#clear-filters")
    expect(page.locator(".call-row")).to_have_count(1)
    expect(search).to_have_value("")


def test_call_detail_and_list_read_at_desktop_and_phone_width(app_url, context):
    page = _user_with_a_number(context, app_url)
    _a_finished_call(page)
    page.goto(f"{app_url}/calls")
    expect(page.locator(".call-row")).to_have_count(1)
    _shot(page, "calls-1280")
    page.locator(".call-row").get_by_role("link", name="Details").click()
    summary = page.locator("#call-summary")
    for label in ("Direction", "From", "To", "Number", "Status", "Started", "Duration", "Cost"):
        expect(summary.get_by_text(label, exact=True)).to_be_visible()
    expect(summary.locator(".call-field-direction")).to_have_text("Outbound")
    expect(summary.locator(".call-field-to")).to_have_text("+1 (212) 555-0120")
    expect(summary.locator(".call-field-number")).to_contain_text("+1 (415)")
    expect(summary.locator(".call-field-status")).to_have_text("Completed")
    _shot(page, "call-detail-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "call-detail-390")
    for field in ("from", "to", "number"):  # nothing runs past the screen's edge
        box = summary.locator(f".call-field-{field}").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.go_back()
    expect(page.locator("#call-log")).to_be_hidden()  # the table gives way to cards
    card = page.locator(".call-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("+1 (212) 555-0120")
    expect(card).to_contain_text("Completed")
    details = card.get_by_role("link", name="Details")
    expect(details).to_be_in_viewport(ratio=1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    _shot(page, "calls-390")
    page.locator("#call-search").fill("abc")
    expect(page.locator("#search-error")).to_be_visible()
    _shot(page, "calls-search-letters-390")

    page.click("#open-dialer")
    page.fill("#dial-to", "123")
    expect(page.locator("#dial-hint")).to_have_text(
        "Enter a full number with area code, like +1 415 555 0100."
    )
    expect(page.locator("#place-call")).to_be_disabled()
    _shot(page, "softphone-hint-390")
