"""The push benchmark's users, made the way people make them: registered on the register
page (a `ReflexTab` submits its form and trades the one-time code for the session cookie,
as the browser does), each buying a number through the public API, which creates their
Twilio subaccount in the built-in sandbox. The subaccount's token, which signs their
status callbacks, is read from the app's database with the tenancy helpers."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from dataclasses import dataclass

import httpx

from tests.reflex_tab import _REPLACE, ReflexTab, substate

PASSWORD = "a long benchmark password"
REGISTER = substate("pages___register____register_state") + ".submit"
CONCURRENCY = 4  # registrations at once (argon2 takes ~130 ms of a core each)


@dataclass
class BenchUser:
    email: str
    cookie: str = ""
    number: str = ""  # E.164, the From of their calls
    user_id: int = 0
    account_sid: str = ""
    auth_token: str = ""


async def _register(base: str, email: str) -> str:
    tab = await ReflexTab(base, "/register").open(timeout=60)
    try:
        form = {"email": email, "password": PASSWORD, "confirm": PASSWORD}
        await tab.send(REGISTER, {"form": form})
        script = await tab.wait_for(
            lambda: next((s for s in tab.scripts if _REPLACE.search(s)), None), timeout=60
        )
    finally:
        await tab.close()
    path = json.loads(_REPLACE.search(script).group(1))
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        reply = await client.get(path, follow_redirects=False)
    return f"cp_session={reply.cookies['cp_session']}"


async def _api(client: httpx.AsyncClient, method: str, path: str, **kwargs) -> httpx.Response:
    """A public API call, waiting out the per-client budget when it runs out (429)."""
    while True:
        reply = await client.request(method, path, **kwargs)
        if reply.status_code != 429:
            reply.raise_for_status()
            return reply
        await asyncio.sleep(float(reply.headers.get("Retry-After", "1")))


async def _buy_number(base: str, email: str, area_code: str) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        creds = {"email": email, "password": PASSWORD}
        token = (await _api(client, "POST", "/api/auth/token", json=creds)).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        offers = await _api(
            client,
            "GET",
            "/api/twilio/numbers/available",
            params={"area_code": area_code},
            headers=auth,
        )
        number = offers.json()[0]["phone_number"]
        await _api(
            client,
            "POST",
            "/api/twilio/numbers",
            json={"phone_number": number},
            headers={**auth, "Idempotency-Key": str(uuid.uuid4())},
        )
    return number


def _read_credentials(users: list[BenchUser], env: dict) -> None:
    """Each user's id and subaccount, from the app's database (the server's settings)."""
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "APP_ENV")})
    from callplatform import config, db
    from callplatform.accounts import auth
    from callplatform.tenancy import subaccounts
    from callplatform.workspaces import membership

    config.reset_settings()
    db.reset_engine()
    with db.read_scope() as session:
        for user in users:
            user.user_id = auth.get_user_by_email(session=session, email=user.email).id
            workspace = membership.personal_workspace_id(session=session, user_id=user.user_id)
            creds = subaccounts.get_credentials(session=session, workspace_id=workspace)
            user.account_sid, user.auth_token = creds.sid, creds.auth_token
    db.reset_engine()


async def make_users(base: str, count: int, env: dict) -> list[BenchUser]:
    run = uuid.uuid4().hex[:6]
    users = [BenchUser(email=f"push-{run}-{i}@example.com") for i in range(count)]
    gate = asyncio.Semaphore(CONCURRENCY)

    async def make(index: int, user: BenchUser) -> None:
        async with gate:
            user.cookie = await _register(base, user.email)
            # The sandbox sells NPA-555-01XX: an area code each keeps them apart.
            user.number = await _buy_number(base, user.email, str(200 + index))

    await asyncio.gather(*(make(i, u) for i, u in enumerate(users)))
    _read_credentials(users, env)
    return users
