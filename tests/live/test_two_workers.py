"""Several workers, as the README's "Past one machine" runs them: the shipped server
(`reflex run --env prod`, granian) with two worker processes on PostgreSQL and Redis.

A registration and a login made through one worker's socket hold on the other's; tabs
land on both workers (Reflex records each socket's worker in Redis: we read it there).
Then one signed webhook, one HTTP request, so one worker: every tab of the user, on
either worker, shows the change without asking. The tabs on the other worker can only
have heard of it through Redis.
"""

from __future__ import annotations

import os
import pickle
import uuid
from pathlib import Path

import httpx
import pytest
import redis
import sqlalchemy as sa

from callplatform.telephony.signatures import compute_signature
from tests.conftest import PG_ADMIN_URL
from tests.helpers import REDIS_URL, free_port, run_async, stored_subaccount
from tests.production_app import production_app
from tests.reflex_tab import SESSION, ReflexTab, log_in, register, substate

pytestmark = pytest.mark.browser  # starts the production build, like the browser tests
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "two workers password"
CALLS = substate("pages___calls___state____calls_state")


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    name = f"cp_workers_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    database = sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(False)
    port, workdir = free_port(), tmp_path_factory.mktemp("workers")
    env = {
        **os.environ,
        "APP_ENV": "test",
        "SECRET_KEY": os.environ["SECRET_KEY"],  # ours: we read the subaccount's token
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database,
        "REDIS_URL": REDIS_URL,
        "GRANIAN_WORKERS": "2",
        "SANDBOX_DATABASE_URL": f"sqlite:///{workdir / 'sandbox.db'}",
        "APP_PORT": str(port),
        "SANDBOX_TIME_SCALE": "0.2",
        "SWEEP_INTERVAL_SECONDS": "3600",  # nothing but our webhooks changes the call
        "TWILIO_API_BASE_URL": f"http://127.0.0.1:{port}/_sandbox/twilio",
        "REFLEX_USE_NPM": "1",
    }
    env.pop("TWILIO_ACCOUNT_SID", None)
    with production_app(env, port, workdir) as url:
        yield url, database
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _worker_of(tab: ReflexTab) -> str:
    """The worker holding the tab's socket, as Reflex records it in Redis."""
    raw = redis.Redis.from_url(REDIS_URL).get(f"token_manager_socket_record_{tab.token}")
    return pickle.loads(raw).instance_id  # noqa: S301 - our own Redis, Reflex's record


async def _tabs_on_both_workers(url: str, cookie: str) -> list[ReflexTab]:
    tabs: list[ReflexTab] = []
    for _ in range(24):  # the kernel spreads connections; a handful reach both
        tabs.append(await ReflexTab(url, "/calls", cookie=cookie).open())
        if len({_worker_of(t) for t in tabs}) == 2 and len(tabs) >= 4:
            return tabs
    raise AssertionError("every tab landed on one worker")


def _api(url: str, email: str) -> httpx.Client:
    token = httpx.post(f"{url}/api/auth/token", json={"email": email, "password": PASSWORD})
    token.raise_for_status()
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    return httpx.Client(base_url=url, headers=headers, timeout=30)


def _status_of(tab: ReflexTab, sid_end: str) -> str:
    rows = tab.var(CALLS, "rows") or []
    return next((row["status"] for row in rows if row["to_display"].endswith(sid_end)), "")


def _status_callback(url: str, account: tuple[str, str], call_sid: str, status: str, seq: int):
    params = {
        "AccountSid": account[0], "CallSid": call_sid, "From": "+14155550100",
        "To": "+12125550142", "Direction": "outbound-api", "CallStatus": status,
        "SequenceNumber": str(seq),
    }  # fmt: skip
    signed_url = f"{url}/api/twilio/status"
    signature = compute_signature(auth_token=account[1], url=signed_url, params=params)
    reply = httpx.post(signed_url, data=params, headers={"X-Twilio-Signature": signature})
    assert reply.status_code == 204, reply.text


def test_a_login_a_webhook_and_a_push_cross_workers(two_workers):
    url, database = two_workers

    async def scenario():
        email = f"workers-{uuid.uuid4().hex[:6]}@example.com"
        await register(url, email, PASSWORD)
        api = _api(url, email)
        offers = api.get("/api/twilio/numbers/available", params={"area_code": "415"}).json()
        bought = api.post(
            "/api/twilio/numbers",
            json={"phone_number": offers[0]["phone_number"]},
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        assert bought.status_code in (200, 201), bought.text
        account = stored_subaccount(database, email, secret_key=os.environ["SECRET_KEY"])
        cookie = await log_in(url, email, PASSWORD)
        tabs = await _tabs_on_both_workers(url, cookie)
        for tab in tabs:  # signed in, whichever worker holds the socket
            await tab.wait_for(lambda tab=tab: tab.var(SESSION, "user_email") == email)
        call_sid = "CA" + uuid.uuid4().hex
        for seq, status, shown in [(0, "initiated", bool), (3, "completed", "Completed".__eq__)]:
            _status_callback(url, account, call_sid, status, seq)  # one request: one worker
            for tab in tabs:  # every tab, on either worker, without asking
                await tab.wait_for(lambda tab=tab, shown=shown: shown(_status_of(tab, "555-0142")))
        for tab in tabs:
            await tab.close()

    run_async(scenario())
