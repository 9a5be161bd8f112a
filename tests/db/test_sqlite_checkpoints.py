"""The write-ahead log is copied back by the background checkpointer, never by a commit."""

from __future__ import annotations

import time
from pathlib import Path

from callplatform import db as db_module
from callplatform import sqlite_checkpoints
from callplatform.db import make_engine
from tests.helpers import wait_for

BLOB_ROWS, BLOB_BYTES = 1_500, 4_000  # ~1,500 pages: past SQLite's default checkpoint at 1,000


def _write_blobs(engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)")
    with engine.begin() as conn:
        for i in range(BLOB_ROWS):
            conn.exec_driver_sql(
                "INSERT INTO blobs (data) VALUES (?)", (bytes([i % 256]) * BLOB_BYTES,)
            )


def test_commits_leave_the_log_to_the_background_checkpointer(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_checkpoints, "INTERVAL_SECONDS", 3600)  # not yet
    db = tmp_path / "app.db"
    engine = make_engine(f"sqlite:///{db}")
    _write_blobs(engine)
    # The commit did not copy its ~1,500 pages into the database file...
    assert db.stat().st_size < 1_000_000
    assert Path(f"{db}-wal").stat().st_size > BLOB_ROWS * BLOB_BYTES
    engine.dispose()


def test_the_checkpointer_copies_the_log_into_the_database(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_checkpoints, "INTERVAL_SECONDS", 0.05)
    db = tmp_path / "app.db"
    engine = make_engine(f"sqlite:///{db}")
    _write_blobs(engine)
    wait_for(lambda: db.stat().st_size > BLOB_ROWS * BLOB_BYTES, timeout=10)
    with engine.connect() as conn:  # and nothing was lost on the way
        assert conn.exec_driver_sql("SELECT count(*) FROM blobs").scalar() == BLOB_ROWS
    engine.dispose()


def test_a_commit_past_the_limit_checkpoints_itself(tmp_path, monkeypatch):
    """The backstop that lets the log start over under sustained writes."""
    monkeypatch.setattr(sqlite_checkpoints, "INTERVAL_SECONDS", 3600)
    monkeypatch.setattr(db_module, "COMMIT_CHECKPOINT_PAGES", 500)
    db = tmp_path / "app.db"
    engine = make_engine(f"sqlite:///{db}")
    _write_blobs(engine)
    assert db.stat().st_size > BLOB_ROWS * BLOB_BYTES
    engine.dispose()


def test_the_checkpointer_stops_and_never_creates_a_database(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_checkpoints, "INTERVAL_SECONDS", 0.01)
    missing = tmp_path / "never-created.db"
    owner = type("Engine", (), {})()
    checkpointer = sqlite_checkpoints.Checkpointer(str(missing), owner=owner)
    time.sleep(0.1)
    assert not missing.exists()
    checkpointer.stop()
    wait_for(lambda: not checkpointer._thread.is_alive(), timeout=2)
