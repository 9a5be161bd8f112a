"""A team in the browser: an owner makes a workspace and invites by email; the mail
arrives at a real SMTP server (aiosmtpd); the invitee follows its link, registers, joins,
and finds the workspace in the header's switcher; the owner's Team page shows them
without a reload. Screenshots at 1280 and 390 px (test-results/screenshots/team-*),
and nothing spills out of its box on a phone."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, path_re, register
from tests.browser.pages import PHONE, overflowing
from tests.smtp_server import Inbox

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"
SHOTS = ROOT / "test-results" / "screenshots"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)  # toasts and dialogs settle
    page.screenshot(path=SHOTS / f"team-{name}.png", full_page=True)


def test_an_invitation_by_email_brings_a_teammate_in(app_url, browser, context, mail):
    tag = uuid.uuid4().hex[:6]
    owner_email, new_email = f"owner-{tag}@example.com", f"new-{tag}@example.com"
    workspace = f"Acme Sales {tag}"
    owner = context.new_page()
    register(owner, app_url, owner_email, PASSWORD)

    # A solo user: no Team link, no switcher; "Invite your team" in the user menu.
    expect(owner.locator("#workspace-switcher")).to_have_count(0)
    expect(owner.get_by_role("link", name="Team", exact=True)).to_have_count(0)
    owner.click("#user-menu")
    owner.get_by_role("menuitem", name="Invite your team").click()
    owner.wait_for_url(path_re(app_url, "/team"))
    expect(owner.locator("#team-intro")).to_be_visible()
    _shot(owner, "solo-1280")

    # A new workspace of the owner's, which the login then acts in.
    owner.click("#new-workspace")
    owner.fill("#workspace-name", workspace)
    _shot(owner, "new-workspace-1280")
    owner.click("#create-ws")
    expect(owner.locator("#team-workspace")).to_have_text(workspace)
    expect(owner.locator("#workspace-switcher")).to_contain_text(workspace)

    owner.fill("#invite-email", new_email)
    owner.click("#invite-send")
    expect(owner.locator("#invite-note")).to_contain_text(
        f"We emailed an invitation to {new_email}"
    )
    link = owner.locator("#invite-link").input_value()
    expect(owner.locator("#team-invitations .invite-row")).to_contain_text(new_email)
    _shot(owner, "invited-1280")

    message = mail.mail_to(new_email)
    assert workspace in message["Subject"] and Inbox.link_in(message) == link
    assert link.startswith(app_url + "/invite/")

    # The invitee, in a browser of their own, follows the mail's link and registers.
    invitee_ctx = browser.new_context(viewport=PHONE)
    try:
        invitee = invitee_ctx.new_page()
        invitee.goto(Inbox.link_in(message))
        expect(invitee.locator("#invite-offer")).to_contain_text(workspace)
        _shot(invitee, "invite-visitor-390")
        invitee.click("#invite-register")
        invitee.wait_for_url(re.compile(re.escape(f"{app_url}/register") + r"/?\?next=%2Finvite"))
        invitee.fill("#email", new_email)
        invitee.fill("#password", PASSWORD)
        invitee.fill("#confirm", PASSWORD)
        invitee.click("#register-submit")
        invitee.wait_for_url(re.compile(re.escape(f"{app_url}/invite/")))
        invitee.click("#invite-accept")
        invitee.wait_for_url(path_re(app_url, "/"))
        switcher = invitee.locator("#workspace-switcher")
        expect(switcher).to_contain_text(workspace)
        switcher.click()
        choices = invitee.locator(".workspace-choice")
        expect(choices).to_have_count(2)
        expect(choices.filter(has_text=workspace)).to_have_count(1)
        _shot(invitee, "switcher-390")
        invitee.keyboard.press("Escape")

        invitee.goto(f"{app_url}/team")
        expect(invitee.locator("#team-members .member-row")).to_have_count(2)
        expect(invitee.locator("#invite-email")).to_have_count(0)  # members don't invite
        _shot(invitee, "member-390")
        assert overflowing(invitee) == []
        invitee.goto(Inbox.link_in(message))  # the link is used up
        expect(invitee.locator("#invite-invalid")).to_be_visible()
        _shot(invitee, "invite-used-390")
        invitee.goto(f"{app_url}/team")
        expect(invitee.locator("#team-workspace")).to_have_text(workspace)

        # The owner's page shows the new member without a reload (the live bus).
        expect(owner.locator("#team-members .member-row")).to_have_count(2)
        expect(owner.locator("#team-members")).to_contain_text(new_email)
        expect(owner.locator("#no-invitations")).to_be_visible()
        _shot(owner, "team-1280")
        owner.set_viewport_size(PHONE)
        _shot(owner, "team-390")
        assert overflowing(owner) == []

        # Removed: the member's open tab hears of it at once and leaves the workspace.
        row = owner.locator("#team-members .member-row").filter(has_text=new_email)
        row.locator(".member-remove").click()
        expect(owner.locator("#confirm-remove-member")).to_be_visible()
        _shot(owner, "remove-390")
        owner.click("#confirm-remove-member")
        expect(owner.locator("#team-members .member-row")).to_have_count(1)
        expect(invitee.get_by_text("You no longer have access")).to_be_visible()
        expect(invitee.locator("#team-workspace")).not_to_have_text(workspace)
        expect(invitee.locator("#workspace-switcher")).to_have_count(0)
    finally:
        invitee_ctx.close()
