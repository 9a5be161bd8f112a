"""Live push in Chromium: webhook accepted -> the Calls page's DOM shows the new status.

One user, one tab on /calls in Chromium (Playwright, /usr/bin/chromium). Before each
callback the page is told what to wait for (the call's row showing the new status); a
MutationObserver notes when the DOM first shows it (`performance.timeOrigin +
performance.now()`, the machine's wall clock), and the benchmark notes when the callback's
answer arrived (`time.time()`, the same clock). One callback at a time, 200 ms apart.
"""

from __future__ import annotations

import asyncio
import os
import time

import httpx
from playwright.sync_api import sync_playwright

from benchmarks import push_load, push_users

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
WATCH = """() => {
  window.__seen = {};
  const check = () => {
    const want = window.__want;
    if (!want || window.__seen[want.id]) return;
    for (const row of document.querySelectorAll('.call-row')) {
      const text = row.textContent;
      if (text.includes(want.to) && text.includes(want.label)) {
        window.__seen[want.id] = performance.timeOrigin + performance.now();
        return;
      }
    }
  };
  new MutationObserver(check).observe(document.body,
    {subtree: true, childList: true, characterData: true});
}"""


def measure(server, webhooks: int) -> list[float]:
    """Latencies (ms) of `webhooks` status callbacks, as Chromium's DOM shows them."""
    user = asyncio.run(push_users.make_users(server.url, 1, server.env))[0]
    callbacks = push_load.schedule(
        server.port, [user], rate=4, seconds=(webhooks + 3) / 4, step_seconds=0
    )[:webhooks]
    callbacks.sort(key=lambda c: (c.due, c.step))
    latencies = []
    with sync_playwright() as p, httpx.Client(timeout=30) as client:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        name, value = user.cookie.split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": server.url}])
        page = context.new_page()
        page.goto(f"{server.url}/calls")
        page.get_by_text("No calls here yet").wait_for(timeout=60_000)
        page.evaluate(WATCH)
        for index, callback in enumerate(callbacks):
            label = push_load.STEPS[callback.step].label
            page.evaluate(
                "w => { window.__want = w; }",
                {"id": index, "to": callback.to_display, "label": label},
            )
            head, body = callback.request.split(b"\r\n\r\n", 1)
            headers = dict(
                line.decode().split(": ", 1) for line in head.split(b"\r\n")[1:] if b": " in line
            )
            headers.pop("Content-Length", None)
            reply = client.post(f"{server.url}/api/twilio/status", content=body, headers=headers)
            accepted = time.time() * 1000
            assert reply.status_code == 204, reply.status_code
            seen = page.wait_for_function(f"window.__seen[{index}]", timeout=30_000)
            latencies.append(seen.json_value() - accepted)
            time.sleep(0.2)
        browser.close()
    return latencies
