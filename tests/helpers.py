"""What tests in every folder share: a user to act as, a wait for something that happens
in another thread (the sandbox, a server), and a free loopback port."""

from __future__ import annotations

import socket
import time

from callplatform.accounts import auth
from callplatform.db import session_scope
from callplatform.models import Role

PASSWORD = "long enough pw"


def make_user(email: str = "ann@example.com", role=Role.USER, *, password: str = PASSWORD) -> int:
    """A registered user's id (through the real registration service)."""
    with session_scope() as s:
        return auth.create_user(session=s, email=email, password=password, role=role).id


def wait_for(check, *, timeout: float = 20.0, interval: float = 0.05):
    """`check()`'s first truthy answer, or AssertionError once `timeout` has passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError("condition not reached in time")


def wait_for_db(predicate, *, timeout: float = 20.0):
    """`wait_for` a predicate that reads the database: `predicate(session)`."""

    def check():
        with session_scope() as s:
            return predicate(s)

    return wait_for(check, timeout=timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
