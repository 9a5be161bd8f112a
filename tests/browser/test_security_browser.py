"""The production app in Chromium: pages run under the Content-Security-Policy without a
violation, the session cookie is HttpOnly and SameSite, logging out leaves nothing of the
user in the tab (reload, back), and foreign origins get no credentialed answer."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, path_re, register

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"
EVIL = "https://evil.example"
# Chromium reports a CSP violation as a console error and as a DOM event; collect both.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.fixture
def watched(context):
    """A page whose CSP violations and script errors are collected in `page.problems`."""
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.problems = problems
    return page


def _no_violations(page) -> None:
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []
    assert page.problems == []


def _session_cookie(context) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == "cp_session"), None)


def test_pages_run_under_the_policy(app_url, context, watched):
    page = watched
    page.goto(f"{app_url}/login")
    _no_violations(page)
    register(page, app_url, f"csp-{uuid.uuid4().hex[:6]}@example.com", PASSWORD)
    for path in (
        "/",
        "/messages",
        "/messages/new",
        "/numbers",
        "/calls",
        "/recordings",
        "/usage",
        "/settings",
    ):
        page.goto(f"{app_url}{path}")
        expect(page.locator("#user-menu")).to_be_visible()
        _no_violations(page)
    page.click("#user-menu")
    page.click("#logout")  # a form POST made by a script the server sent
    page.wait_for_url(path_re(app_url, "/login"))
    _no_violations(page)


def test_cookie_flags_and_logout_forgets_the_user(app_url, context):
    email = f"ann-{uuid.uuid4().hex[:6]}@example.com"
    secret = f"Ann's line {uuid.uuid4().hex[:4]}"
    page = context.new_page()
    register(page, app_url, email, PASSWORD)
    cookie = _session_cookie(context)
    assert cookie["httpOnly"] is True and cookie["sameSite"] in ("Strict", "Lax")
    assert cookie["secure"] is False  # plain http on loopback
    assert page.evaluate("document.cookie").find("cp_session") == -1  # not for scripts

    page.goto(f"{app_url}/numbers")
    page.fill("#area-code", "415")
    page.click("#search-numbers")
    page.locator(".buy-number").first.click()
    row = page.locator("#my-numbers tbody tr").first
    row.locator(".rename-number").click()
    page.fill("#edit-name", secret)
    page.click("#save-name")
    expect(row.locator(".number-name")).to_have_text(secret)

    # Whatever the server sends this tab from now on, not just what the page shows.
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
    page.click("#user-menu")
    page.click("#logout")
    page.wait_for_url(path_re(app_url, "/login"))
    assert _session_cookie(context) is None
    for move in (page.reload, page.go_back, page.go_back):
        move()
        page.wait_for_load_state("networkidle")
        body = page.locator("body")
        expect(body).not_to_contain_text(secret)
        expect(body).not_to_contain_text(email)
    assert frames and not [f for f in frames if secret in f or email in f]
    page.goto(f"{app_url}/numbers")
    page.wait_for_url(path_re(app_url, "/login"))

    log_in(page, app_url, email, PASSWORD)  # and back in, through the same tab
    page.wait_for_url(path_re(app_url, "/"))
    expect(page.locator("#user-menu")).to_contain_text(email)


def test_headers_on_pages_and_the_api(app_url):
    for path in ("/login", "/calls/12", "/api/health", "/assets/nowhere.js"):
        response = httpx.get(f"{app_url}{path}")
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "strict-transport-security" not in response.headers  # plain http


def test_a_foreign_origin_gets_no_credentialed_answer(app_url):
    cookies = {"cp_session": "whatever"}
    for path in ("/api/voice/token", "/api/recordings/1/media", "/login"):
        simple = httpx.get(f"{app_url}{path}", headers={"Origin": EVIL}, cookies=cookies)
        preflight = httpx.options(
            f"{app_url}{path}",
            headers={"Origin": EVIL, "Access-Control-Request-Method": "GET"},
        )
        for response in (simple, preflight):
            assert response.headers.get("access-control-allow-origin") not in (EVIL, "*"), path
    # Nor may its page open the websocket, where the cookie would speak for the user.
    socket = httpx.get(
        f"{app_url}/_event/",
        params={"EIO": "4", "transport": "websocket"},
        headers={"Origin": EVIL},
    )
    assert socket.status_code == 400 and "not an accepted origin" in socket.text
    own = httpx.options(
        f"{app_url}/api/voice/token",
        headers={"Origin": app_url, "Access-Control-Request-Method": "GET"},
    )
    assert own.headers.get("access-control-allow-origin") == app_url
