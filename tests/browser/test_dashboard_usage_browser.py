"""In Chromium: the Dashboard a user opens each morning (missed calls with a call back,
voicemails, spend against the cap, their numbers), and the Usage page showing a user only
what they pay; both fit a phone's width. Screenshots land in CP_SCREENSHOTS if set."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine
from sqlmodel import Session, select

from callplatform.models import TwilioCall, TwilioRecording, User
from callplatform.workspaces import membership
from tests.browser.conftest import register

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"
WIDTHS = {"desktop": 1280, "phone": 390}


def _missed_call(email: str, at: datetime | None = None) -> None:
    """An inbound call nobody answered, and the voicemail left, as the callbacks leave them."""
    engine = create_engine(os.environ["CP_BROWSER_DB"])
    with Session(engine) as s:
        user = s.exec(select(User).where(User.email == email)).one()
        workspace_id = membership.personal_workspace_id(session=s, user_id=user.id)
        call = TwilioCall(
            workspace_id=workspace_id,
            handled_by=None,  # nobody answered
            call_sid="CA" + uuid.uuid4().hex,
            direction="inbound",
            from_number="+12125550013",
            to_number="+14155550100",
            status="no-answer",
            missed=True,
            started_at=at or datetime.now(UTC) - timedelta(minutes=5),
        )
        s.add(call)
        s.flush()
        s.add(
            TwilioRecording(
                workspace_id=workspace_id,
                call_id=call.id,
                recording_sid="RE" + uuid.uuid4().hex,
                call_sid=call.call_sid,
                duration_seconds=14,
                is_voicemail=True,
            )
        )
        s.commit()
    engine.dispose()


def _fits(page, width: int, name: str) -> None:
    out = os.environ.get("CP_SCREENSHOTS")
    if out:
        page.screenshot(path=str(Path(out) / f"{name}-{width}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{name} is {overflow}px wide at {width}px"


def test_dashboard_morning_and_usage_shows_what_users_pay(app_url, context):
    page = context.new_page()
    email = f"dash-{uuid.uuid4().hex[:6]}@example.com"
    register(page, app_url, email, PASSWORD)
    expect(page.locator("#dash-numbers")).to_contain_text("You have no number yet")
    expect(page.locator("#dash-voicemails")).to_contain_text("Turn on voicemail")
    expect(page.locator("#dash-missed")).to_contain_text("No missed calls")
    page.goto(f"{app_url}/numbers")
    page.fill("#area-code", "415")
    page.click("#search-numbers")
    page.locator(".buy-number").first.click()
    expect(page.locator("#my-numbers")).to_be_visible()
    _missed_call(email)

    page.goto(f"{app_url}/")
    expect(page.locator("#dash-spend")).to_have_text("$1.38")  # $1.15 + 20%
    expect(page.locator("#dash-spend-card")).to_contain_text("of your $50.00 monthly cap")
    expect(page.locator("#dash-numbers")).to_contain_text("+1 (415)")
    expect(page.locator("#dash-missed")).to_contain_text("+1 (212) 555-0013")
    expect(page.locator("#dash-recent")).to_contain_text("Missed")
    expect(page.locator("#dash-voicemails audio")).to_have_count(1)
    expect(page.locator("#dash-voicemails")).to_contain_text("+1 (212) 555-0013")
    page.locator("#dash-missed .call-back").first.click()
    expect(page.locator("#dialer-panel")).to_be_visible()
    expect(page.locator("#dial-to")).to_have_value("+12125550013")
    page.locator("#open-dialer").click()  # closed again

    page.goto(f"{app_url}/usage")
    expect(page.locator("#usage-total")).to_have_text("$1.38")
    expect(page.locator("#usage-split")).to_have_count(0)  # Twilio's share is not theirs
    expect(page.get_by_text("Twilio price")).to_have_count(0)
    expect(page.locator("#usage-items")).to_contain_text("$1.38000")

    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{app_url}/")
        expect(page.locator("#dash-missed")).to_contain_text("+1 (212) 555-0013")
        _fits(page, width, f"dashboard-{label}")
        page.goto(f"{app_url}/usage")
        expect(page.locator("#usage-total")).to_have_text("$1.38")
        cards, table = page.locator("#usage-item-cards"), page.locator("#usage-items")
        expect(cards if label == "phone" else table).to_be_visible()
        expect(table if label == "phone" else cards).to_be_hidden()
        _fits(page, width, f"usage-{label}")


def test_dashboard_times_are_the_users_local_time(app_url, browser):
    """Stored in UTC, shown where the user is: 03:00 UTC is 08:30 in Kolkata."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, timezone_id="Asia/Kolkata")
    ctx.set_default_timeout(20_000)
    try:
        page = ctx.new_page()
        email = f"tz-{uuid.uuid4().hex[:6]}@example.com"
        register(page, app_url, email, PASSWORD)
        _missed_call(email, at=datetime.now(UTC).replace(hour=3, minute=0, second=0))
        page.goto(f"{app_url}/")
        expect(page.locator("#dash-missed")).to_contain_text("08:30")
    finally:
        ctx.close()
