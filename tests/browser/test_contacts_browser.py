"""Contacts in Chromium at phone width (390 px): the empty page, a call's "Add to
contacts" opening the form on its number, the name then shown in the call log, a CSV
imported through the upload, a delete confirmed; screenshots in test-results."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.conftest import ROOT, register
from tests.browser.pages import PHONE, api_client, number_and_call, overflowing

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"
SHOTS = ROOT / "test-results" / "screenshots"


def test_contacts_at_phone_width(app_url, browser):
    email = f"contacts-{uuid.uuid4().hex[:6]}@example.com"
    ctx = browser.new_context(viewport=PHONE)
    ctx.set_default_timeout(20_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page = ctx.new_page()
        register(page, app_url, email, PASSWORD)  # and signed in
        with api_client(app_url, email, PASSWORD) as api:
            _number, call_id = number_and_call(api)

        page.goto(f"{app_url}/contacts")
        page.get_by_text("No contacts yet").wait_for()
        page.screenshot(path=SHOTS / "contacts-empty-390.png", full_page=True)

        page.goto(f"{app_url}/calls/{call_id}")
        page.click("#add-to-contacts")
        page.wait_for_url(re.compile(r".*/contacts\?add=.*"))
        numbers = page.locator("#contact-numbers")
        numbers.wait_for()
        assert numbers.input_value() == "+16465550199"  # the leg that rang my_phone
        page.fill("#contact-name", "Ada Lovelace")
        page.fill("#contact-company", "Analytical Engines")
        page.screenshot(path=SHOTS / "contacts-dialog-390.png")
        page.click("#save-contact")
        page.locator(".contact-row", has_text="Ada Lovelace").wait_for()

        page.set_input_files(
            "#contacts-upload input[type=file]",
            files=[{
                "name": "people.csv", "mimeType": "text/csv",
                "buffer": b"First Name,Last Name,Mobile\nGrace,Hopper,+1 646 555 0142\nBad,Row,12\n",
            }],
        )  # fmt: skip
        page.click("#import-contacts")
        page.get_by_text(
            "1 added, 0 merged into contacts with the same number, 1 skipped:"
        ).wait_for()
        page.get_by_text("Line 3:").wait_for()
        page.locator(".contact-row", has_text="Grace Hopper").wait_for()
        # The "Contact saved." toast gone: its icon overhangs its box, by sonner's design.
        page.locator("[data-sonner-toast]").first.wait_for(state="detached")
        page.screenshot(path=SHOTS / "contacts-390.png", full_page=True)
        assert overflowing(page) == []

        page.locator(".contact-row", has_text="Grace Hopper").get_by_role(
            "button", name="Delete"
        ).click()
        page.click("#confirm-delete-contact")
        page.locator(".contact-row", has_text="Grace Hopper").wait_for(state="detached")

        page.goto(f"{app_url}/calls")
        page.locator("#call-cards .call-card", has_text="Ada Lovelace").wait_for()
        page.goto(f"{app_url}/calls/{call_id}")
        page.locator("#call-contact", has_text="Ada Lovelace").wait_for()
        page.screenshot(path=SHOTS / "call-detail-contact-390.png", full_page=True)
    finally:
        ctx.close()
