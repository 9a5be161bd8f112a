"""In Chromium: two users, each with a sandbox number, text each other on the Messages
page. The second sees the first's text arrive in their inbox without a reload (unread,
counted in the navigation and the tab's title), opens it, replies (Shift+Enter for a
new line, Enter sends); the first sees the reply arrive in the open thread, and their
own text's delivery state, live. Pictured at 1280 px and 390 px."""

from __future__ import annotations

import base64
import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from callplatform.pages.messages.draft_count import EMPTY
from tests.browser.conftest import ROOT, log_in, path_re, register
from tests.browser.pages import DESKTOP, PHONE, overflowing
from tests.browser.test_calling_browser import _buy_number

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"
SHOTS = ROOT / "test-results" / "screenshots"
LIVE = 30_000  # ms: a text's trip through the sandbox and its push


def _person(browser, app_url, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(20_000)
    page = context.new_page()
    email = f"texter-{uuid.uuid4().hex[:6]}@example.com"
    register(page, app_url, email, PASSWORD)
    return context, page, email, _buy_number(page, app_url)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")  # lazily loaded parts (times) drawn too
    width = page.viewport_size["width"]
    page.screenshot(path=SHOTS / f"messages-{name}-{width}.png")
    assert overflowing(page) == [], name


def _national(e164: str) -> str:
    """+14155550123 -> +1 (415) 555-0123, as the page writes numbers."""
    return f"+1 ({e164[2:5]}) {e164[5:8]}-{e164[8:]}"


@pytest.fixture
def patient_expect():
    """A send may take a few requests to Twilio (the first makes a Messaging Service),
    slowed on purpose below, on a machine shared with other runs."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def test_two_users_text_each_other_live(app_url, browser, slow_twilio, patient_expect):
    ann_ctx, ann, _ann_email, ann_number = _person(browser, app_url)
    bob_ctx, bob, bob_email, bob_number = _person(browser, app_url)
    try:
        bob.goto(f"{app_url}/messages")
        expect(bob.locator("#empty-inbox")).to_contain_text("No messages yet")
        expect(bob.locator("#pick-a-conversation")).to_be_visible()
        bob.evaluate("window.__same_page = true")

        # Ann writes a new message; the count follows the draft as carriers count it.
        ann.goto(f"{app_url}/messages/new")
        expect(ann.locator("#new-from")).to_contain_text(_national(ann_number))
        ann.fill("#new-to", "12")
        ann.fill("#composer-body", "x")
        ann.press("#composer-body", "Enter")
        expect(ann.locator("#to-error")).to_contain_text("digits")  # beside its field
        ann.fill("#new-to", _national(bob_number))
        ann.fill("#composer-body", "a" * 161)  # counted in the browser as the server does
        expect(ann.locator("#draft-count")).to_have_text("145 characters left · 2 segments · GSM-7")
        ann.fill("#composer-body", "Hello Bob, lunch at 1? 🍜")
        expect(ann.locator("#draft-count")).to_have_text("45 characters left · 1 segment · Unicode")
        _shot(ann, "new")
        ann.press("#composer-body", "Enter")
        ann.wait_for_url(re.compile(r".*/messages/\d+/?$"))
        expect(ann.locator(".bubble-out")).to_contain_text("lunch at 1?")
        ann.evaluate("window.__same_page = true")

        # Bob's inbox shows it without a reload: unread, counted in the nav and title.
        row = bob.locator(".thread-row").first
        expect(row).to_contain_text("Hello Bob, lunch at 1?", timeout=LIVE)
        expect(row).to_contain_text(_national(ann_number))
        expect(bob.locator(".thread-unread")).to_have_text("1")
        expect(bob.locator(".unread-texts").first).to_have_text("1")
        expect(bob).to_have_title("(1) Messages · CallPlatform")
        assert bob.evaluate("window.__same_page === true")
        _shot(bob, "inbox")

        # Opening it reads it; the reply has two lines (Shift+Enter), Enter sends.
        row.click()
        bob.wait_for_url(re.compile(r".*/messages/\d+/?$"))
        expect(bob.locator(".bubble-in")).to_contain_text("lunch at 1? 🍜")
        expect(bob.locator(".unread-texts")).to_have_count(0)
        expect(bob).to_have_title("Messages · CallPlatform")
        bob.click("#composer-body")
        bob.keyboard.type("Yes!")
        bob.keyboard.press("Shift+Enter")
        bob.keyboard.type("See you there")
        expect(bob.locator("#composer-body")).to_have_value("Yes!\nSee you there")
        slow_twilio.delay_seconds = 2.0  # a slow Twilio: the send shows it is under way
        try:
            bob.keyboard.press("Enter")
            expect(bob.locator("#send-message")).to_have_text("Sending…")
            expect(bob.locator("#send-message")).to_be_disabled()
            bob.keyboard.press("Enter")  # pressed again meanwhile: sent once all the same
            expect(bob.locator(".bubble-out")).to_contain_text("See you there", timeout=LIVE)
        finally:
            slow_twilio.delay_seconds = 0.0
        expect(bob.locator("#send-message")).to_have_text("Send")
        time.sleep(3)  # a second send, had it been queued, would be stored by now
        expect(bob.locator(".bubble-out")).to_have_count(1)
        expect(bob.locator("#composer-body")).to_have_value("")
        expect(bob.locator("#draft-count")).to_have_text(EMPTY)
        assert bob.evaluate("window.__same_page === true")

        # Ann sees the reply in the open thread, and her own text delivered, live.
        expect(ann.locator(".bubble-in")).to_contain_text("See you there", timeout=LIVE)
        mine = ann.locator(".text-message", has=ann.locator(".bubble-out")).first
        expect(mine.locator(".state")).to_have_text("Delivered", timeout=LIVE)
        assert ann.evaluate("window.__same_page === true")
        _shot(ann, "thread")

        # Search finds the text, and leads to its thread.
        bob.fill("#message-search", "lunch")
        expect(bob.locator(".search-hit")).to_contain_text("lunch at 1?")
        _shot(bob, "search")

        # Away from Messages, a new text still shows: counted beside the link, in the title.
        bob.goto(f"{app_url}/calls")
        expect(bob.locator("#call-search")).to_be_visible()
        ann.fill("#composer-body", "One more thing")
        ann.press("#composer-body", "Enter")
        expect(bob.locator(".unread-texts").first).to_have_text("1", timeout=LIVE)
        expect(bob).to_have_title("(1) Calls · CallPlatform")

        # On a phone: the inbox fills the screen, a thread replaces it, Back returns.
        phone_ctx = browser.new_context(viewport=PHONE)
        try:
            phone = phone_ctx.new_page()
            log_in(phone, app_url, bob_email, PASSWORD)
            phone.wait_for_url(path_re(app_url, "/"))
            expect(phone.locator(".menu-unread")).to_be_visible()  # a dot on the menu
            phone.goto(f"{app_url}/messages")
            expect(phone.locator(".thread-unread")).to_have_text("1")
            expect(phone.locator("#thread")).to_be_hidden()
            _shot(phone, "inbox")
            phone.locator(".thread-row").first.click()
            expect(phone.locator(".bubble-in").last).to_contain_text("One more thing")
            expect(phone.locator("#inbox")).to_be_hidden()
            _shot(phone, "thread")
            phone.go_back()
            expect(phone.locator("#inbox")).to_be_visible()
            phone.goto(f"{app_url}/messages/new")
            expect(phone.locator("#new-to")).to_be_visible()
            _shot(phone, "new")
        finally:
            phone_ctx.close()
    finally:
        ann_ctx.close()
        bob_ctx.close()


# A 1x1 PNG: a picture as small as a picture gets.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _loaded(page, selector: str) -> bool:
    return page.evaluate(
        f"[...document.querySelectorAll('{selector}')].some(i => i.complete && i.naturalWidth > 0)"
    )


def test_a_picture_goes_from_one_composer_to_the_other_thread(app_url, browser, patient_expect):
    ann_ctx, ann, _ann_email, _ann_number = _person(browser, app_url)
    bob_ctx, bob, _bob_email, bob_number = _person(browser, app_url)
    try:
        bob.goto(f"{app_url}/messages")
        expect(bob.locator("#empty-inbox")).to_be_visible()
        ann.goto(f"{app_url}/messages/new")
        ann.fill("#new-to", _national(bob_number))
        ann.set_input_files(
            "#composer-pictures input[type=file]",
            files=[{"name": "dot.png", "mimeType": "image/png", "buffer": PNG}],
        )
        expect(ann.locator("#attached-pictures")).to_have_text("dot.png")
        ann.fill("#composer-body", "The place")
        _shot(ann, "attached")
        ann.press("#composer-body", "Enter")
        ann.wait_for_url(re.compile(r".*/messages/\d+/?$"))
        expect(ann.locator(".bubble-out")).to_contain_text("The place")
        expect(ann.locator("#attached-pictures")).to_have_count(0)
        ann.wait_for_function("() => [...document.querySelectorAll('.text-picture')]"
                              ".some(i => i.complete && i.naturalWidth > 0)")  # fmt: skip
        # Bob, without a reload: the thread arrives, and in it the picture, fetched from
        # Twilio with his account's credentials.
        bob.locator(".thread-row").first.click(timeout=LIVE)
        expect(bob.locator(".bubble-in")).to_contain_text("The place")
        bob.wait_for_function(
            "() => [...document.querySelectorAll('.text-picture')]"
            ".some(i => i.complete && i.naturalWidth > 0)",
            timeout=LIVE,
        )
        assert _loaded(bob, ".text-picture")
    finally:
        ann_ctx.close()
        bob_ctx.close()
