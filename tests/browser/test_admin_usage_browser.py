"""In Chromium: the Usage page adds up what a user bought, with their cap; an admin sees
the platform dashboard, a plain user is kept out of it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, log_in, path_re, register

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"


def test_usage_page_shows_costs_and_cap(app_url, context):
    page = context.new_page()
    register(page, app_url, f"use-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
    page.goto(f"{app_url}/usage")
    expect(page.get_by_text("Nothing spent this month")).to_be_visible()
    page.goto(f"{app_url}/numbers")
    page.fill("#area-code", "415")
    page.click("#search-numbers")
    page.locator(".buy-number").first.click()
    expect(page.locator("#my-numbers")).to_be_visible()
    page.goto(f"{app_url}/usage")
    expect(page.locator("#usage-total")).to_have_text("$1.38")  # $1.15 + 20%
    expect(page.locator("#usage-items")).to_contain_text("Monthly fee for +1 (415)")
    expect(page.locator("#usage-by-number")).to_contain_text("$1.38")
    expect(
        page.locator("#usage-items").get_by_role("link", name=re.compile("Monthly fee"))
    ).to_have_attribute("href", "/numbers")
    expect(page.locator("#cap-usage")).to_contain_text("of your $50.00 monthly spend cap")
    page.fill("#own-cap", "2")
    page.get_by_role("button", name="Save cap").click()
    expect(page.locator("#cap-usage")).to_contain_text("69% of your $2.00")


def test_admin_dashboard_and_its_door(app_url, browser, context, tmp_path):
    email = f"root-{uuid.uuid4().hex[:6]}@example.com"
    env = {
        **os.environ,
        "APP_ENV": "test",
        "SECRET_KEY": "browser-test-secret-0123456789",
        "DATABASE_URL": os.environ.get("CP_BROWSER_DB", ""),
    }
    user = browser.new_context()
    try:
        plain = user.new_page()
        register(plain, app_url, f"plain-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
        expect(plain.get_by_role("link", name="Admin")).to_have_count(0)
        plain.goto(f"{app_url}/admin")
        plain.wait_for_url(path_re(app_url, "/"))  # not for them
    finally:
        user.close()
    assert env["DATABASE_URL"], "the app fixture exports its database for the CLI"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "callplatform.cli",
            "create-admin",
            "--email",
            email,
            "--password",
            PASSWORD,
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    page = context.new_page()
    log_in(page, app_url, email, "a wrong password!")  # a security event for the audit log
    expect(page.locator("#form-error")).to_be_visible()
    log_in(page, app_url, email, PASSWORD)
    page.wait_for_url(path_re(app_url, "/"))
    page.get_by_role("link", name="Admin").first.click()
    expect(page.locator("#admin-stats")).to_contain_text("Users")
    expect(page.locator("#admin-stats")).to_contain_text("Revenue (markup)")
    expect(page.locator("#admin-users")).to_contain_text(email)
    expect(page.locator("#audit-log")).to_contain_text("login.failed")
    row = page.locator("#admin-users tr", has_text="plain-")
    row.get_by_role("button", name="Usage").click()  # an admin opens a user's usage
    expect(page.locator("#viewing-user")).to_contain_text("plain-")
    expect(page.locator("#usage-split")).to_contain_text("Twilio $0.00 + platform $0.00")
