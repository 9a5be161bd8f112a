"""A new user buys a number in area code 415, renames it and releases it, in Chromium;
another user never sees it."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"


def test_buy_rename_release_in_415(app_url, browser, context):
    page = context.new_page()
    register(page, app_url, f"num-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
    page.goto(f"{app_url}/numbers")
    expect(page.get_by_text("You don't have a number yet")).to_be_visible()

    page.fill("#area-code", "415")
    page.click("#search-numbers")
    first_buy = page.locator(".buy-number").first
    expect(first_buy).to_be_visible()
    number = first_buy.get_attribute("data-number")
    assert number.startswith("+1415")
    expect(page.locator("#offers")).to_contain_text("$1.15/month")
    first_buy.dblclick()  # a double click still buys once
    row = page.locator(f"#my-numbers tr[data-number='{number}']")
    expect(row).to_be_visible()
    pretty = f"+1 ({number[2:5]}) {number[5:8]}-{number[8:]}"
    expect(row).to_contain_text(pretty)
    expect(page.locator("#my-numbers tbody tr")).to_have_count(1)

    row.locator(".rename-number").click()
    page.fill("#edit-name", "Sales line")
    page.click("#save-name")
    expect(row.locator(".number-name")).to_have_text("Sales line")

    other = browser.new_context()
    try:
        bob = other.new_page()
        register(bob, app_url, f"bob-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
        bob.goto(f"{app_url}/numbers")
        expect(bob.get_by_text("You don't have a number yet")).to_be_visible()
        expect(bob.locator("body")).not_to_contain_text("Sales line")
    finally:
        other.close()

    row.locator(".release-number").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("can't be undone")
    expect(dialog).to_contain_text(pretty)
    page.click("#confirm-release")
    expect(page.get_by_text("You don't have a number yet")).to_be_visible()
    expect(page.locator("body")).to_contain_text(re.compile("was released"))
