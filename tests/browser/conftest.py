"""Runs the real app (production build, one port) and drives it with Chromium.

The app gets its own SQLite file and port; the built-in Twilio sandbox plays Twilio,
reached through a loopback proxy the tests can slow down (`slow_twilio`).
"""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.slow_twilio import SlowTwilio
from tests.helpers import free_port
from tests.production_app import ROOT, production_app
from tests.smtp_server import Inbox, smtp_server

__all__ = ["ROOT", "log_in", "path_re", "register"]  # what the browser tests import

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def app_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def slow_twilio(app_port):
    """Every Twilio request of the app passes here; set `delay_seconds` to slow Twilio."""
    with SlowTwilio(upstream_port=app_port) as proxy:
        yield proxy


@pytest.fixture(scope="session")
def mail() -> Inbox:
    """A real SMTP server (aiosmtpd) the app mails invitations to; its inbox."""
    with smtp_server() as (url, inbox):
        inbox.url = url
        yield inbox


@pytest.fixture(scope="session")
def app_url(tmp_path_factory, app_port, slow_twilio, mail):
    port = app_port
    workdir = tmp_path_factory.mktemp("app")
    env = {
        **os.environ,
        "APP_ENV": "test",
        "SECRET_KEY": "browser-test-secret-0123456789",
        "DATABASE_URL": f"sqlite:///{workdir / 'app.db'}",
        "SANDBOX_DATABASE_URL": f"sqlite:///{workdir / 'twilio_sandbox.db'}",
        "APP_PORT": str(port),
        "REFLEX_USE_NPM": "1",
        # Simulated calls run 5x faster and prices arrive within seconds.
        "SANDBOX_TIME_SCALE": "0.2",
        "SWEEP_INTERVAL_SECONDS": "2",
        "TWILIO_API_BASE_URL": slow_twilio.base_url("/_sandbox/twilio"),
        "SMTP_URL": mail.url,
        "SMTP_FROM": "CallPlatform <team@example.com>",
    }
    env.pop("TWILIO_ACCOUNT_SID", None)
    os.environ["CP_BROWSER_DB"] = env["DATABASE_URL"]  # for tests that use the admin CLI
    with production_app(env, port, workdir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


def path_re(base: str, path: str) -> re.Pattern:
    """The page at `path`, with or without the trailing slash the app adds."""
    return re.compile(re.escape(base + path.rstrip("/")) + r"/?(\?.*)?$")


def register(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/register")
    page.fill("#email", email)
    page.fill("#password", password)
    page.fill("#confirm", password)
    page.click("#register-submit")
    page.wait_for_url(path_re(base, "/"))


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-submit")
