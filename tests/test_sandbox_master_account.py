"""The sandbox's master account has a random SID and auth token, made once per database
and kept there: nothing anyone can read (the code, a default secret) yields them."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlmodel import SQLModel, col, select
from starlette.testclient import TestClient

from callplatform import config, db
from callplatform.db import read_scope, session_scope
from callplatform.sandbox.app import build_sandbox_app
from callplatform.sandbox.credentials import master_credentials
from callplatform.sandbox.models import SandboxAccount
from tests.conftest import use_database

ROOT = Path(__file__).resolve().parent.parent


def _masters() -> list[SandboxAccount]:
    with read_scope() as s:
        return list(
            s.exec(select(SandboxAccount).where(col(SandboxAccount.owner_account_sid).is_(None)))
        )


def test_master_credentials_are_random_stored_and_stable(db_url):
    sid, token = master_credentials()
    assert sid.startswith("AC") and len(sid) == 34 and len(token) == 32
    assert master_credentials() == (sid, token)
    assert [(m.sid, m.auth_token) for m in _masters()] == [(sid, token)]


def test_same_secret_different_databases_different_masters(tmp_path, monkeypatch):
    """Were they derived from the secret (or anything else shared), two installations
    with the same SECRET_KEY would share a master account."""
    seen = []
    for name in ("one", "two"):
        url = f"sqlite:///{tmp_path / name}.db"
        SQLModel.metadata.create_all(sa.create_engine(url))
        use_database(monkeypatch, url)
        seen.append(master_credentials())
    db.reset_engine()
    config.reset_settings()
    assert seen[0][0] != seen[1][0] and seen[0][1] != seen[1][1]


def test_the_published_default_secret_no_longer_opens_the_sandbox(sqlite_db, tmp_path, monkeypatch):
    """The README's run command (development, no SECRET_KEY): the master's credentials as
    they were once derived from the published default secret get nowhere."""
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / ".secret_key"))
    config.reset_settings()

    def once_derived(purpose: str) -> str:
        key = hashlib.sha256(f"{purpose}:dev-insecure-secret-change-me".encode()).digest()
        return hashlib.sha256(key).hexdigest()[:32]

    guess = ("AC" + once_derived("sandbox-master-sid"), once_derived("sandbox-master-token"))
    sid, token = master_credentials()
    assert guess[0] != sid and guess[1] != token
    for auth in (guess, (sid, guess[1])):
        response = TestClient(build_sandbox_app()).get("/2010-04-01/Accounts.json", auth=auth)
        assert response.status_code == 401


def test_concurrent_first_uses_make_one_master(db_url):
    start = threading.Barrier(6)
    seen = []

    def first_use():
        start.wait()
        seen.append(master_credentials())

    threads = [threading.Thread(target=first_use) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(_masters()) == 1
    assert len(seen) == 6 and len(set(seen)) == 1


def test_upgrading_rotates_a_master_token_that_was_derived(db_url):
    """Databases made before this change hold a master whose token was derived from the
    (published) default secret: the migration replaces it, keeping SIDs and owners."""
    engine = db.get_engine()
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "2b22749fdc7b")
    with session_scope() as s:
        s.add(SandboxAccount(sid="AC" + "1" * 32, auth_token="d" * 32))
        s.add(
            SandboxAccount(
                sid="AC" + "2" * 32, auth_token="e" * 32, owner_account_sid="AC" + "1" * 32
            )
        )
    command.upgrade(cfg, "head")
    with read_scope() as s:
        master = s.get(SandboxAccount, "AC" + "1" * 32)
        sub = s.get(SandboxAccount, "AC" + "2" * 32)
    assert len(master.auth_token) == 32 and master.auth_token != "d" * 32
    assert (sub.auth_token, sub.owner_account_sid) == ("e" * 32, master.sid)
    assert master_credentials() == (master.sid, master.auth_token)


@pytest.fixture(autouse=True)
def _settings_back():
    yield
    config.reset_settings()
