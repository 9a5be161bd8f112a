"""What the page-wide browser tests share: an admin made with the CLI, a user with a
number, a call and a recording made through the public API, the time until a page is
usable, and a check that no text spills out of its box."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import httpx

from tests.production_app import ROOT

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# An element is usable once React has hydrated it (its props are attached).
HYDRATED = """(sel) => [...document.querySelectorAll(sel)].some((el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && Object.keys(el).some(k => k.startsWith('__reactProps'));
})"""  # any match: a page may show a table on a desktop and cards on a phone

# Boxes whose content is wider than they are: text cut off or spilling out. Deliberate
# scrollers (overflow-x auto/scroll) are fine, except (with `tables`) a table's: on a phone
# nothing should need a sideways scroll. Text cut with an ellipsis on purpose is fine too.
OVERFLOWING = """(tables) => {
  const out = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    out.push(`page is ${document.documentElement.scrollWidth}px wide`);
  for (const el of document.body.querySelectorAll('*')) {
    if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
    if (['svg', 'path', 'script', 'style'].includes(el.tagName.toLowerCase())) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') continue;
    const scrolls = ['auto', 'scroll'].includes(s.overflowX);
    const inTable = el.closest('.rt-TableRoot') !== null;
    if (scrolls && !(inTable && tables)) continue;
    // Radix's ghost buttons overhang their box by their padding, by design.
    if (el.children.length === 1 && el.firstElementChild.matches('.rt-variant-ghost')) continue;
    if (s.textOverflow === 'ellipsis') continue;
    if (el.closest('[data-radix-select-viewport], [role=listbox]')) continue;
    const label = (el.id ? '#' + el.id : el.tagName.toLowerCase()) +
      (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '');
    out.push(`${label} ${el.scrollWidth}>${el.clientWidth}: ${(el.innerText || '').slice(0, 60)}`);
  }
  return out;
}"""


def create_admin(email: str, password: str) -> None:
    env = {
        **os.environ,
        "APP_ENV": "test",
        "SECRET_KEY": "browser-test-secret-0123456789",
        "DATABASE_URL": os.environ["CP_BROWSER_DB"],
    }
    cmd = [sys.executable, "-m", "callplatform.cli", "create-admin", "--email", email]
    subprocess.run([*cmd, "--password", password], cwd=ROOT, env=env, check=True)


def api_client(base: str, email: str, password: str) -> httpx.Client:
    token = httpx.post(f"{base}/api/auth/token", json={"email": email, "password": password})
    token.raise_for_status()
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    return httpx.Client(base_url=base, headers=headers, timeout=30)


def number_and_call(api: httpx.Client) -> tuple[str, int]:
    """Buys a number (recording calls), places a call from it, waits until it ends:
    (the number, the call's id)."""
    offers = api.get("/api/twilio/numbers/available", params={"area_code": "415"})
    offers.raise_for_status()
    first = offers.json()[0]["phone_number"]
    bought = api.post(
        "/api/twilio/numbers",
        json={"phone_number": first, "friendly_name": "Sales"},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    bought.raise_for_status()
    api.patch(f"/api/twilio/numbers/{bought.json()['id']}", json={"record_calls": True})
    call = api.post(
        "/api/twilio/call",
        json={"from_number": first, "to": "(212) 555-0105", "my_phone": "(646) 555-0199"},
    )
    call.raise_for_status()
    call_id = call.json()["id"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        charged = api.get(f"/api/twilio/calls/{call_id}").json().get("call", {}).get("charge")
        if charged and api.get("/api/twilio/recordings").json()["recordings"]:
            break
        time.sleep(1)
    return first, call_id


def usable_ms(page, url: str, ready: str, timeout_ms: int = 30_000) -> float:
    """Navigates to `url`; milliseconds from navigation start until `ready` is visible and
    hydrated (a click there would run its handler)."""
    page.goto(url, wait_until="commit")
    page.wait_for_function(HYDRATED, arg=ready, timeout=timeout_ms, polling=25)
    return float(page.evaluate("performance.now()"))


def overflowing(page, *, tables: bool = True) -> list[str]:
    return page.evaluate(OVERFLOWING, tables)
