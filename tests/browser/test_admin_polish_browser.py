"""In Chromium: the API reference renders offline from the app itself; a favicon, no 404s;
one user's cap set from their row; the audit log in words; Escape closes dialogs."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, log_in, path_re, register
from tests.browser.pages import PHONE, create_admin

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"


def test_api_reference_renders_with_nothing_from_elsewhere(app_url, context):
    page = context.new_page()
    requested, refused = [], []
    page.on("request", lambda r: requested.append(r.url))
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    answer = page.goto(f"{app_url}/api/docs")
    assert "cdn." not in answer.headers["content-security-policy"]
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    expect(page.get_by_text("/api/auth/token", exact=True)).to_be_visible()
    link = page.locator("#openapi-link")
    expect(link).to_have_attribute("href", "/api/openapi.json")
    assert requested and all(u.startswith(app_url) or u.startswith("data:") for u in requested), [
        u for u in requested if not u.startswith(app_url)
    ]
    assert not refused
    page.screenshot(path=_shot("api-docs-1280.png"), full_page=False)


def _shot(name: str):
    folder = ROOT / "test-results" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def test_favicon_and_no_missing_files(app_url, context):
    page = context.new_page()
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto(f"{app_url}/login")
    page.wait_for_load_state("networkidle")
    icon = page.request.get(f"{app_url}/favicon.ico")
    assert icon.status == 200 and icon.body()[:4] == b"\x00\x00\x01\x00"
    assert not missing


def test_cap_from_the_users_row_audited_in_words(app_url, browser, context):
    boss = f"boss-{uuid.uuid4().hex[:6]}@example.com"
    plain = f"capped-{uuid.uuid4().hex[:6]}@example.com"
    other = browser.new_context()
    try:
        register(other.new_page(), app_url, plain, PASSWORD)
    finally:
        other.close()
    create_admin(boss, PASSWORD)
    page = context.new_page()
    log_in(page, app_url, boss, PASSWORD)
    page.wait_for_url(path_re(app_url, "/"))
    page.goto(f"{app_url}/admin")
    expect(page.get_by_text("user id")).to_have_count(0)  # no ids to type any more
    row = page.locator(f"#admin-users tr[data-email='{plain}']")
    row.get_by_role("button", name="Set cap").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(plain)
    page.fill("#user-cap", "12.5")
    page.keyboard.press("Escape")  # closes, and nothing is saved
    expect(dialog).to_have_count(0)
    expect(row).to_contain_text("Default")
    row.get_by_role("button", name="Set cap").click()
    expect(page.locator("#user-cap")).to_have_value("")
    page.fill("#user-cap", "12.5")
    page.click("#save-user-cap")
    expect(dialog).to_have_count(0)
    expect(row).to_contain_text("$12.50")
    row.get_by_role("button", name="Suspend").click()
    expect(row).to_contain_text("suspended")
    page.reload()
    log = page.locator("#audit-log")
    expect(log).to_contain_text(
        f"{boss} set {plain}'s monthly cap from the platform default to $12.50"
    )
    expect(log).to_contain_text(f"{boss} suspended {plain}")
    expect(log).to_contain_text(f"The command line created the admin {boss}")

    page.set_viewport_size(PHONE)  # the row's actions stay on screen on a phone
    button = page.locator(f"#admin-users tr[data-email='{plain}']").get_by_role(
        "button", name="Set cap"
    )
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_escape_closes_the_confirmation(app_url, context):
    page = context.new_page()
    register(page, app_url, f"esc-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
    page.goto(f"{app_url}/settings")
    page.fill("#token-name", "CRM sync")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("cell", name="CRM sync")).to_be_visible()
    page.get_by_role("button", name="Revoke").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    page.get_by_role("button", name="Revoke").click()  # opens again: the state was reset
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="Keep it").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("cell", name="CRM sync")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(re.compile("revoked", re.I))
