"""A team shares a number, in two Chromium browsers: the owner invites a member, assigns
them the number, and someone calls it. Both open tabs ring; the member answers; the
owner's tab stops ringing at once and says who took it; the call log says "Answered by"
for both. The member sees the shared number's calls and none of the owner's other
number's, in the page and over the API."""

from __future__ import annotations

import os
import uuid

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, register
from tests.browser.pages import api_client
from tests.browser.test_calling_browser import _buy_number
from tests.helpers import stored_subaccount

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"
BROWSER_SECRET = "browser-test-secret-0123456789"  # tests/browser/conftest.py's
SHOTS = ROOT / "test-results" / "screenshots"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=SHOTS / f"shared-{name}.png", full_page=True)


def _ring(app_url: str, owner_email: str, number: str, caller: str) -> None:
    """Someone out in the world calls `number` (the sandbox's stand-in for them)."""
    sid, token = stored_subaccount(
        os.environ["CP_BROWSER_DB"], owner_email, secret_key=BROWSER_SECRET
    )
    incoming = httpx.post(
        f"{app_url}/_sandbox/twilio/sandbox/Accounts/{sid}/IncomingCalls.json",
        data={"From": caller, "To": number},
        auth=(sid, token),
    )
    assert incoming.status_code in (200, 201), incoming.text


def _my_number_id(api: httpx.Client, e164: str) -> int:
    numbers = api.get("/api/twilio/my-numbers").json()
    return next(n["id"] for n in numbers if n["phone_number"] == e164)


def test_a_shared_number_rings_both_and_the_first_to_answer_takes_it(app_url, browser, context):
    tag = uuid.uuid4().hex[:6]
    owner_email, member_email = f"own-{tag}@example.com", f"mem-{tag}@example.com"
    owner = context.new_page()
    register(owner, app_url, owner_email, PASSWORD)
    shared = _buy_number(owner, app_url)
    private = _buy_number(owner, app_url)  # the owner's alone: never the member's to see
    owner_api = api_client(app_url, owner_email, PASSWORD)
    workspace = next(w for w in owner_api.get("/api/workspaces").json()["workspaces"])
    invited = owner_api.post(
        f"/api/workspaces/{workspace['id']}/invitations", json={"email": member_email}
    )
    assert invited.status_code == 201, invited.text

    member_ctx = browser.new_context()
    try:
        member = member_ctx.new_page()
        register(member, app_url, member_email, PASSWORD)
        member.goto(invited.json()["link"])
        member.click("#invite-accept")
        # Joined: the page leaves, or (its workspace changed under it) shows the link used.
        expect(member.locator("#invite-accept")).to_have_count(0, timeout=30_000)
        member.goto(f"{app_url}/")
        expect(member.locator("#workspace-switcher")).to_be_visible()

        people = owner_api.get(f"/api/workspaces/{workspace['id']}/members").json()["members"]
        ids = [p["user_id"] for p in people]
        assigned = owner_api.put(
            f"/api/twilio/numbers/{_my_number_id(owner_api, shared)}/members",
            json={"user_ids": ids},
        )
        assert assigned.status_code == 200, assigned.text

        # The member's dashboard: the shared number, not the owner's private one.
        member.goto(f"{app_url}/")
        expect(member.locator("#open-dialer")).to_be_visible()
        owner.goto(f"{app_url}/")
        expect(owner.locator("#open-dialer")).to_be_visible()

        _ring(app_url, owner_email, shared, "+12125550177")
        for page in (owner, member):
            expect(page.locator("#incoming-call")).to_contain_text(
                "+1 (212) 555-0177", timeout=15_000
            )
        _shot(owner, "both-ring-owner")
        member.click("#accept-call")
        expect(member.locator("#call-status")).to_have_text("In call", timeout=20_000)
        # The owner's tab stops ringing and says who took the call.
        expect(owner.locator("#incoming-call")).to_have_count(0, timeout=5_000)
        expect(owner.locator("#answered-elsewhere")).to_contain_text("answered by mem-" + tag)
        _shot(owner, "answered-elsewhere")
        expect(member.locator("#call-status")).to_have_text("Call ended", timeout=60_000)

        # A call to the owner's private number rings the owner only.
        _ring(app_url, owner_email, private, "+12125550188")
        expect(owner.locator("#incoming-call")).to_contain_text("+1 (212) 555-0188", timeout=15_000)
        member.wait_for_timeout(2_000)
        expect(member.locator("#incoming-call")).to_have_count(0)
        owner.click("#reject-call")

        # The call log: the owner sees both calls, the member the shared number's only.
        owner.goto(f"{app_url}/calls")
        answered = owner.locator(".call-row").filter(has_text="+1 (212) 555-0177")
        expect(answered.locator(".call-handler")).to_contain_text("Answered by mem-" + tag)
        expect(owner.locator(".call-row").filter(has_text="+1 (212) 555-0188")).to_have_count(1)
        member.goto(f"{app_url}/calls")
        expect(member.locator(".call-row").filter(has_text="+1 (212) 555-0177")).to_have_count(1)
        expect(member.locator(".call-row").filter(has_text="+1 (212) 555-0188")).to_have_count(0)
        _shot(member, "member-calls")
    finally:
        member_ctx.close()
