"""Accounts in the browser: forms start clean, a deep link survives the login, the
profile's time zone rules every time shown, sessions can be seen and ended, and an API
token's last use shows on Settings."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, path_re, register

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"
SHOTS = Path("/tmp/ui-acct-shots")


def _email(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:6]}@example.com"


def test_register_shows_no_old_error_on_a_fresh_page(app_url, context):
    page = context.new_page()
    page.goto(f"{app_url}/register")
    page.fill("#email", _email("reg"))
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD + "x")
    page.click("#register-submit")
    expect(page.locator("#password-error")).to_contain_text("don't match")
    page.reload()
    expect(page.locator("#email")).to_be_visible()
    expect(page.locator("#password-error")).to_have_count(0)
    page.get_by_role("link", name="Log in").click()
    page.get_by_role("link", name="Create an account").click()
    expect(page.locator("#email")).to_be_visible()
    expect(page.locator("#password-error")).to_have_count(0)


def test_login_from_a_deep_link_goes_back_there(app_url, browser, context):
    email = _email("deep")
    register(context.new_page(), app_url, email, PASSWORD)
    for target, lands in (("/calls/2", "/calls/2"), ("/usage?month=2026-01", "/usage")):
        ctx = browser.new_context()
        try:
            page = ctx.new_page()
            page.goto(f"{app_url}{target}")
            page.wait_for_url(re.compile(re.escape(f"{app_url}/login") + r"/?\?next="))
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            page.click("#login-submit")
            page.wait_for_url(path_re(app_url, lands))
            assert page.url.split(app_url, 1)[1].rstrip("/").startswith(target.split("?")[0])
        finally:
            ctx.close()
    ctx = browser.new_context()  # another host in `next` is ignored
    try:
        page = ctx.new_page()
        page.goto(f"{app_url}/login?next=//example.com/x")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("#login-submit")
        page.wait_for_url(path_re(app_url, "/"))
    finally:
        ctx.close()


def test_a_new_visitor_from_a_deep_link_registers_and_lands_there(app_url, browser):
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(f"{app_url}/recordings")
        page.wait_for_url(re.compile(re.escape(f"{app_url}/login") + r"/?\?next="))
        page.get_by_role("link", name="Create an account").click()  # keeps where to go
        page.wait_for_url(re.compile(re.escape(f"{app_url}/register") + r"/?\?next=%2Frecordings"))
        page.fill("#email", _email("newdeep"))
        page.fill("#password", PASSWORD)
        page.fill("#confirm", PASSWORD)
        page.click("#register-submit")
        page.wait_for_url(path_re(app_url, "/recordings"))
    finally:
        ctx.close()


def _token_created_cell(page):
    return page.locator("table").filter(has_text="Last used").locator("tbody tr td").nth(2)


def test_time_zone_rules_every_time_and_defaults_from_the_browser(app_url, browser):
    ctx = browser.new_context(timezone_id="Europe/Paris", viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        register(page, app_url, _email("tz"), PASSWORD)
        page.goto(f"{app_url}/settings")
        expect(page.locator("#time_zone")).to_have_value("Europe/Paris")  # from the browser
        page.fill("#token-name", "CRM sync")
        page.get_by_role("button", name="Create token").click()
        expect(page.locator("#new-api-token")).to_have_value(re.compile(r"^cp_"))
        for zone in ("Asia/Tokyo", "America/Anchorage"):
            page.fill("#display_name", "Ann Example")
            page.select_option("#time_zone", zone)
            page.click("#save-profile")
            expect(page.get_by_text("Profile saved.")).to_be_visible()
            page.reload()
            expect(page.locator("#time_zone")).to_have_value(zone)
            expect(page.locator("#display_name")).to_have_value("Ann Example")
            hour = datetime.now(ZoneInfo(zone)).strftime("%b %-d, %Y %H:")
            expect(_token_created_cell(page)).to_contain_text(hour)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "settings-1280.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(SHOTS / "settings-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        ctx.close()


def test_sessions_are_listed_and_can_be_ended(app_url, browser, context):
    email = _email("ses")
    page = context.new_page()
    register(page, app_url, email, PASSWORD)
    others = [browser.new_context(user_agent=f"Other browser {n}") for n in (1, 2)]
    try:
        tabs = [ctx.new_page() for ctx in others]
        for tab in tabs:
            log_in(tab, app_url, email, PASSWORD)
            tab.wait_for_url(path_re(app_url, "/"))
        page.goto(f"{app_url}/settings")
        rows = page.locator("#sessions tbody tr")
        expect(rows).to_have_count(3)
        expect(rows.first).to_contain_text("This browser")
        row = rows.filter(has_text="Other browser 1")
        row.get_by_role("button", name="End").click()
        expect(rows).to_have_count(2)
        tabs[0].goto(f"{app_url}/numbers")  # that browser is logged out
        tabs[0].wait_for_url(path_re(app_url, "/login"))
        page.click("#end-other-sessions")
        expect(rows).to_have_count(1)
        tabs[1].goto(f"{app_url}/usage")
        tabs[1].wait_for_url(path_re(app_url, "/login"))
        rows.first.get_by_role("button", name="Sign out").click()  # this tab's own session
        page.wait_for_url(path_re(app_url, "/login"))
        page.goto(f"{app_url}/settings")
        page.wait_for_url(path_re(app_url, "/login"))
    finally:
        for ctx in others:
            ctx.close()


def test_api_token_last_used_shows_on_settings(app_url, context):
    page = context.new_page()
    register(page, app_url, _email("last"), PASSWORD)
    page.goto(f"{app_url}/settings")
    page.fill("#token-name", "CRM sync")
    page.get_by_role("button", name="Create token").click()
    token_box = page.locator("#new-api-token")
    expect(token_box).to_have_value(re.compile(r"^cp_.{20,}"))
    raw = token_box.input_value()
    row = page.locator("table").filter(has_text="Last used").locator("tbody tr").first
    expect(row).to_contain_text("Never")
    api = httpx.Client(base_url=app_url, headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/twilio/my-numbers").status_code == 200
    expect(row).not_to_contain_text("Never", timeout=40_000)  # the open page catches up
    expect(row).to_contain_text("seconds ago")
