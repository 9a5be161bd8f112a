"""A team's admin work in Chromium: an owner with a member assigns a number on the
Numbers page (a checklist of the members, saved with a toast), finds it in the Team
page's Activity, sets the member's own monthly cap there, and reads the Usage page's
month by member, to the cent and adding up to the total. The member's Numbers page shows
only their number, without buying, renaming, releasing or assigning. Screenshots at 1280
and 390 px (test-results/screenshots/teamui-*); nothing spills out of its box at 390."""

from __future__ import annotations

import re
import time
import uuid
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, path_re, register
from tests.browser.pages import DESKTOP, PHONE, api_client, overflowing
from tests.browser.test_calling_browser import _buy_number

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"
SHOTS = ROOT / "test-results" / "screenshots"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # toasts and dialogs settle
    page.screenshot(path=SHOTS / f"teamui-{name}.png", full_page=True)


def _both_sizes(page, name: str) -> None:
    """Screenshots at 1280 and 390 px; at 390 nothing may overflow (once the toasts,
    which slide in from the edge, have gone)."""
    expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=15_000)
    page.set_viewport_size(DESKTOP)
    _shot(page, f"{name}-1280")
    page.set_viewport_size(PHONE)
    _shot(page, f"{name}-390")
    assert overflowing(page) == [], name
    page.set_viewport_size(DESKTOP)


def _charged_call(api, number: str) -> None:
    """The owner calls out from `number` (click-to-call) and waits for its charge."""
    call = api.post(
        "/api/twilio/call",
        json={"from_number": number, "to": "(212) 555-0105", "my_phone": "(646) 555-0199"},
    )
    call.raise_for_status()
    # The sweep prices it (every 2 s here), after the sandbox's call has ended: generous,
    # as a loaded CI machine runs both slowly.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if api.get(f"/api/twilio/calls/{call.json()['id']}").json().get("call", {}).get("charge"):
            return
        time.sleep(1)
    raise AssertionError("the call was never charged")


def _money(text: str) -> Decimal:
    return Decimal(text.strip().lstrip("$").replace(",", ""))


def test_an_owner_assigns_a_number_caps_a_member_and_reads_usage_by_member(
    app_url, browser, context
):
    tag = uuid.uuid4().hex[:6]
    owner_email, member_email = f"boss-{tag}@example.com", f"rep-{tag}@example.com"
    owner = context.new_page()
    register(owner, app_url, owner_email, PASSWORD)
    shared = _buy_number(owner, app_url)
    private = _buy_number(owner, app_url)
    # A solo owner: no team chrome on the Numbers page.
    expect(owner.locator(".assign-number")).to_have_count(0)
    expect(owner.locator(".number-assignees")).to_have_count(0)

    owner_api = api_client(app_url, owner_email, PASSWORD)
    workspace = owner_api.get("/api/workspaces").json()["workspaces"][0]
    invited = owner_api.post(
        f"/api/workspaces/{workspace['id']}/invitations", json={"email": member_email}
    )
    assert invited.status_code == 201, invited.text
    member_ctx = browser.new_context(viewport=PHONE)
    member_ctx.set_default_timeout(20_000)
    try:
        member = member_ctx.new_page()
        register(member, app_url, member_email, PASSWORD)
        member.goto(invited.json()["link"])
        member.click("#invite-accept")
        member.wait_for_url(path_re(app_url, "/"))

        # The owner assigns the shared number to the member.
        owner.goto(f"{app_url}/numbers")
        row = owner.locator(f"#my-numbers tr[data-number='{shared}']")
        expect(row.locator(".number-assignees")).to_have_text("Nobody yet")
        row.locator(".assign-number").click()
        choices = owner.locator("#assign-list .assign-choice")
        expect(choices).to_have_count(2)
        choices.filter(has_text=member_email).click()
        expect(choices.filter(has_text=member_email).get_by_role("checkbox")).to_be_checked()
        _shot(owner, "assign-dialog-1280")
        owner.set_viewport_size(PHONE)
        _shot(owner, "assign-dialog-390")
        owner.set_viewport_size(DESKTOP)
        owner.click("#save-assign")
        expect(owner.get_by_text(re.compile(r"is now assigned to rep-"))).to_be_visible()
        expect(row.locator(".number-assignees")).to_have_text(member_email)
        expect(
            owner.locator(f"#my-numbers tr[data-number='{private}'] .number-assignees")
        ).to_have_text("Nobody yet")
        _both_sizes(owner, "numbers-owner")

        # The member: their number only, and nothing to buy, rename, release or assign.
        member.goto(f"{app_url}/numbers")
        expect(member.locator("#my-numbers .number-row")).to_have_count(1)
        expect(member.locator(f"#my-numbers tr[data-number='{shared}']")).to_be_visible()
        for control in ("#search-numbers", ".rename-number", ".release-number", ".assign-number"):
            expect(member.locator(control)).to_have_count(0)
        _shot(member, "numbers-member-390")
        assert overflowing(member) == []

        # The Team page: the assignment in Activity; the member's own cap.
        owner.goto(f"{app_url}/team")
        activity = owner.locator("#team-activity")
        expect(activity.locator(".activity-entry").first).to_contain_text("assigned")
        expect(activity).to_contain_text(f"to {member_email}")
        person = owner.locator("#team-members .member-row").filter(has_text=member_email)
        expect(person.locator(".member-cap")).to_have_text("No cap")
        person.locator(".member-cap-edit").click()
        owner.fill("#member-cap-input", "abc")
        owner.click("#save-cap")
        expect(owner.locator("#cap-error")).to_contain_text("like 25.00")
        owner.fill("#member-cap-input", "25")
        _shot(owner, "cap-dialog-1280")
        owner.click("#save-cap")
        expect(owner.get_by_text(re.compile(r"can spend up to \$25\.00 a month"))).to_be_visible()
        expect(person.locator(".member-cap")).to_have_text("$25.00 / month")
        expect(activity.locator(".activity-entry").first).to_contain_text(
            f"set {member_email}'s own monthly cap to $25.00"
        )
        _both_sizes(owner, "team-owner")
        member.goto(f"{app_url}/team")  # a member: no caps, no activity
        expect(member.locator("#team-members .member-row")).to_have_count(2)
        expect(member.locator(".member-cap")).to_have_count(0)
        expect(member.locator("#team-activity")).to_have_count(0)

        # The Usage page: the month by member, to the cent, adding up to the total.
        _charged_call(owner_api, private)
        owner.goto(f"{app_url}/usage")
        by_member = owner.locator("#usage-by-member")
        expect(by_member).to_contain_text("Number fees")
        expect(by_member).to_contain_text(owner_email)
        amounts = by_member.locator(".member-spend").all_inner_texts()
        total = _money(owner.locator("#usage-total").inner_text())
        shown = [_money(line.split("\n")[-1].split("\t")[-1]) for line in amounts]
        assert sum(shown) == total > 0, (amounts, total)
        _both_sizes(owner, "usage-owner")
        member.goto(f"{app_url}/usage")
        expect(member.locator("#usage-total")).to_be_visible()
        expect(member.locator("#usage-by-member")).to_have_count(0)
    finally:
        member_ctx.close()
