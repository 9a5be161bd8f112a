"""What tests in every folder share: a user to act as, a wait for something that happens
in another thread (the sandbox, a server), and a free loopback port."""

from __future__ import annotations

import os
import socket
import time

from callplatform.accounts import auth
from callplatform.db import session_scope
from callplatform.models import Role

PASSWORD = "long enough pw"
# The Redis the tests may use (loopback); the test command starts one when missing.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# How long a wait gives up after. Generous for a loaded CI; a mutation run
# (scripts/mutation.sh) shortens it: a mutant that breaks what a test waits for would
# otherwise cost the whole wait, and a clean wait there takes a second or two.
WAIT_SECONDS = float(os.environ.get("TEST_WAIT_SECONDS", "20"))


def make_user(email: str = "ann@example.com", role=Role.USER, *, password: str = PASSWORD) -> int:
    """A registered user's id (through the real registration service)."""
    with session_scope() as s:
        return auth.create_user(session=s, email=email, password=password, role=role).id


def wait_for(check, *, timeout: float = WAIT_SECONDS, interval: float = 0.05):
    """`check()`'s first truthy answer, or AssertionError once `timeout` has passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError("condition not reached in time")


def wait_for_db(predicate, *, timeout: float = WAIT_SECONDS):
    """`wait_for` a predicate that reads the database: `predicate(session)`."""

    def check():
        with session_scope() as s:
            return predicate(s)

    return wait_for(check, timeout=timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stored_subaccount(database_url: str, email: str, *, secret_key: str) -> tuple[str, str]:
    """(SID, auth token) of a user's subaccount in a running app's database, the token
    decrypted with that app's `secret_key`."""
    import sqlalchemy as sa

    from callplatform import config
    from callplatform.tenancy import crypto

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        sid, token = conn.execute(
            sa.text(
                "SELECT s.account_sid, s.auth_token_encrypted FROM twilio_subaccounts s "
                "JOIN users u ON u.id = s.user_id WHERE u.email = :email"
            ),
            {"email": email},
        ).one()
    engine.dispose()
    ours = os.environ.get("SECRET_KEY")
    os.environ["SECRET_KEY"] = secret_key
    config.reset_settings()
    try:
        return sid, crypto.decrypt(token)
    finally:
        if ours is None:
            os.environ.pop("SECRET_KEY", None)
        else:
            os.environ["SECRET_KEY"] = ours
        config.reset_settings()


def use_redis(monkeypatch, url: str | None) -> None:
    """Settings with REDIS_URL set to `url` (None: without Redis, one process)."""
    from callplatform import config

    if url:
        monkeypatch.setenv("REDIS_URL", url)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    config.reset_settings()


def run_async(coro):
    """Run a coroutine on a fresh loop in its own thread (the browser tests' sync
    Playwright keeps a loop running in the main thread), with the caller's context
    variables (Reflex keeps its app registration in one); re-raise what it raised."""
    import asyncio
    import contextvars
    import threading

    box, context = {}, contextvars.copy_context()

    def target():
        try:
            box["value"] = context.run(asyncio.run, coro)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def personal_workspace(user_id: int) -> int:
    """The workspace a user owns alone: where their numbers, calls and costs live."""
    from callplatform.db import read_scope
    from callplatform.workspaces import membership

    with read_scope() as s:  # a reader: never waits behind a test's open writer
        return membership.personal_workspace_id(session=s, user_id=user_id)


def member_of(user_id: int, workspace_id: int | None = None):
    """The user as they act in a workspace (their personal one unless told), read now:
    what the app resolves from a login for every request."""
    from callplatform.db import read_scope
    from callplatform.workspaces import access

    workspace = workspace_id or personal_workspace(user_id)
    with read_scope() as s:
        return access.acting_member(session=s, user_id=user_id, workspace_id=workspace)
