"""A new user registers, logs out, fails and succeeds to log in; users are isolated."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, path_re, register

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"


def test_account_lifecycle_and_isolation(app_url, browser, context):
    email = f"ann-{uuid.uuid4().hex[:6]}@example.com"
    page = context.new_page()

    page.goto(f"{app_url}/numbers")  # a private page sends a visitor to log in
    page.wait_for_url(path_re(app_url, "/login"))

    register(page, app_url, email, PASSWORD)
    expect(page.locator("#getting-started")).to_be_visible()
    expect(page.locator("#user-menu")).to_contain_text(email)

    page.click("#user-menu")
    page.click("#logout")
    page.wait_for_url(path_re(app_url, "/login"))

    log_in(page, app_url, email, "not the password!")
    expect(page.locator("#form-error")).to_contain_text("Email or password is incorrect")
    assert path_re(app_url, "/login").match(page.url)

    log_in(page, app_url, email, PASSWORD)
    page.wait_for_url(path_re(app_url, "/"))
    expect(page.locator("#user-menu")).to_contain_text(email)

    other = browser.new_context()
    try:
        bob = other.new_page()
        bob.goto(f"{app_url}/")
        bob.wait_for_url(path_re(app_url, "/login"))  # no session is shared between browsers
        register(bob, app_url, f"bob-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
        expect(bob.locator("#user-menu")).not_to_contain_text(email)
        expect(bob.locator("#getting-started")).to_be_visible()
    finally:
        other.close()


def test_registration_errors_show_beside_the_field(app_url, context):
    page = context.new_page()
    page.goto(f"{app_url}/register")
    page.fill("#email", "someone@example.com")
    page.fill("#password", "short")
    page.fill("#confirm", "short")
    page.click("#register-submit")
    expect(page.locator("#password-error")).to_contain_text("at least 10")
    assert path_re(app_url, "/register").match(page.url)


def test_dark_theme_and_phone_width(app_url, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    try:
        page = ctx.new_page()
        register(page, app_url, f"m-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
        expect(page.get_by_label("Menu")).to_be_visible()  # the sidebar folds into a menu
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        ctx.close()


def test_api_token_is_shown_once_works_and_can_be_revoked(app_url, context):
    import httpx

    page = context.new_page()
    register(page, app_url, f"tok-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
    page.goto(f"{app_url}/settings")
    expect(page.locator("#no-tokens")).to_be_visible()
    page.fill("#token-name", "CRM sync")
    page.get_by_role("button", name="Create token").click()
    token_box = page.locator("#new-api-token")
    expect(token_box).to_have_value(re.compile(r"^cp_.{20,}"))
    raw = token_box.input_value()
    api = httpx.Client(base_url=app_url, headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/twilio/my-numbers").status_code == 200

    page.reload()  # shown once: after a reload only the name and prefix remain
    expect(page.get_by_role("cell", name="CRM sync")).to_be_visible()
    assert raw not in page.content()

    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("can't be undone")
    page.click("#confirm-revoke")
    expect(page.locator("#no-tokens")).to_be_visible()
    assert api.get("/api/twilio/my-numbers").status_code == 401
