"""In Chromium: a call from the softphone put on hold (the sandbox's participant is held
and hears the hold music our webhook serves; the softphone says "On hold"), resumed, then
transferred to an external number; the call's detail shows the transfer. And a call
passed to a teammate, who takes it on their own page."""

from __future__ import annotations

import os
import re
import sqlite3
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register
from tests.helpers import wait_for

pytestmark = pytest.mark.browser


def _sandbox_participants() -> list[tuple[int, str]]:
    """(hold, what it hears) of each participant, read from the sandbox's own database
    (a file beside the app's: tests/browser/conftest.py)."""
    app_db = os.environ["CP_BROWSER_DB"].removeprefix("sqlite:///")
    path = os.path.join(os.path.dirname(app_db), "twilio_sandbox.db")
    with sqlite3.connect(path) as db:
        return db.execute("SELECT hold, hearing FROM sandbox_participants").fetchall()


def test_hold_resume_and_transfer_a_call(app_url, context):
    page = context.new_page()
    register(page, app_url, f"hold-{uuid.uuid4().hex[:6]}@example.com", "a long browser password")
    page.goto(f"{app_url}/numbers")
    page.fill("#area-code", "415")
    page.click("#search-numbers")
    page.locator(".buy-number").first.click()
    expect(page.locator("#my-numbers tr[data-number]")).to_have_count(1)

    page.click("#open-dialer")
    page.fill("#dial-to", "(212) 555-0199")  # the sandbox's long talker stays on the line
    page.click("#place-call")
    expect(page.locator("#call-status")).to_have_text("In call", timeout=30_000)

    page.click("#hold")
    expect(page.locator("#on-hold")).to_have_text("On hold", timeout=30_000)
    expect(page.locator("#hold")).to_have_text("Resume")
    held = wait_for(lambda: [p for p in _sandbox_participants() if p[0]])
    assert held == [(1, "Play")]  # one participant held, played our hold TwiML's <Play>

    page.click("#hold")
    expect(page.locator("#on-hold")).to_have_count(0, timeout=30_000)
    assert not any(hold for hold, _ in _sandbox_participants())  # Twilio said so already

    page.click("#open-transfer")
    page.fill("#transfer-to", "+44 20 7183 8750")
    page.click("#transfer-cold")
    page.click("#confirm-transfer")
    expect(page.locator("#transfer-error")).to_contain_text("aren't enabled")

    page.fill("#transfer-to", "(646) 555-0123")
    page.click("#transfer-cold")
    expect(page.locator("#transfer-question")).to_contain_text("leave the call")
    page.click("#confirm-transfer")
    expect(page.locator("#call-status")).to_have_text("Call transferred", timeout=30_000)

    page.get_by_role("button", name="Close phone").click()
    page.goto(f"{app_url}/calls")
    row = page.locator(".call-row", has_text="+1 (212) 555-0199").first
    row.get_by_role("link", name="Details").click()
    for step in ("Put on hold", "Taken off hold", "Transferring to +1 (646) 555-0123",
                 "Handed over to +1 (646) 555-0123"):  # fmt: skip
        expect(page.get_by_text(step, exact=True).first).to_be_visible()


def test_a_call_passed_to_a_teammate(app_url, browser, context):
    """The owner passes a live call to a teammate: chosen in the softphone, offered on
    the teammate's page, taken there; the owner's call shows it handed over."""
    from tests.browser.pages import api_client

    tag = uuid.uuid4().hex[:6]
    owner_email, mate_email = f"lead-{tag}@example.com", f"mate-{tag}@example.com"
    owner = context.new_page()
    register(owner, app_url, owner_email, "a long browser password")
    owner.goto(f"{app_url}/numbers")
    owner.fill("#area-code", "415")
    owner.click("#search-numbers")
    owner.locator(".buy-number").first.click()
    expect(owner.locator("#my-numbers tr[data-number]")).to_have_count(1)
    owner_api = api_client(app_url, owner_email, "a long browser password")
    workspace = owner_api.get("/api/workspaces").json()["workspaces"][0]
    invited = owner_api.post(
        f"/api/workspaces/{workspace['id']}/invitations", json={"email": mate_email}
    )
    assert invited.status_code == 201, invited.text
    mate_ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    mate_ctx.set_default_timeout(20_000)
    try:
        mate = mate_ctx.new_page()
        register(mate, app_url, mate_email, "a long browser password")
        mate.goto(invited.json()["link"])
        mate.click("#invite-accept")
        mate.wait_for_url(re.compile(re.escape(app_url) + r"/?$"))

        owner.reload()
        owner.click("#open-dialer")
        owner.fill("#dial-to", "(212) 555-0199")
        owner.click("#place-call")
        expect(owner.locator("#call-status")).to_have_text("In call", timeout=30_000)
        owner.click("#open-transfer")
        for _attempt in range(10):  # the teammate's tab counts as online within 10 s
            owner.click("#transfer-member")
            owner.get_by_role("option", name=mate_email.split("@")[0]).click()
            owner.click("#transfer-cold")
            owner.click("#confirm-transfer")
            pending, error = owner.locator("#transfer-pending"), owner.locator("#transfer-error")
            expect(pending.or_(error)).to_be_visible()
            if pending.count():
                break
            expect(error).to_contain_text("isn't online")
            owner.wait_for_timeout(2000)
        expect(owner.locator("#transfer-pending")).to_contain_text("Transferring to mate-")
        expect(owner.locator("#on-hold")).to_be_visible()

        expect(mate.locator("#transfer-offer")).to_contain_text("is passing you a call")
        mate.click("#accept-transfer")
        expect(mate.locator("#call-status")).to_have_text("In call", timeout=30_000)
        expect(owner.locator("#call-status")).to_have_text("Call transferred", timeout=30_000)
    finally:
        mate_ctx.close()
