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
from twilio_sandbox.app import build_sandbox_app
from twilio_sandbox.credentials import master_credentials
from twilio_sandbox.database import read_scope
from twilio_sandbox.models import SandboxAccount

ROOT = Path(__file__).resolve().parent.parent.parent


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
        monkeypatch.setenv("SANDBOX_DATABASE_URL", f"sqlite:///{tmp_path / name}.db")
        seen.append(master_credentials())
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


def test_the_product_database_no_longer_holds_the_sandbox(db_url):
    """The sandbox keeps its tables in its own database; upgrading a product database
    that still has them (made before) drops them."""
    engine = db.get_engine()
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "45dc0bdfe2a5")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO sandbox_accounts (sid, auth_token, friendly_name, status, "
            "date_created, date_updated) VALUES ('AC1', 'tok', '', 'active', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
    command.upgrade(cfg, "head")
    tables = set(sa.inspect(engine).get_table_names())
    assert not {t for t in tables if t.startswith("sandbox_")}
    assert "twilio_calls" in tables


@pytest.fixture(autouse=True)
def _settings_back():
    yield
    config.reset_settings()
