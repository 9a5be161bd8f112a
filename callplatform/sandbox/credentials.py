"""The sandbox's master account (the platform's own "Twilio account") and new SIDs.

The master SID and token are derived from the app secret, so they are stable across
restarts without being stored in configuration."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy.exc import IntegrityError

from callplatform.config import get_settings
from callplatform.db import session_scope
from callplatform.sandbox.models import SandboxAccount


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def _derived(purpose: str) -> str:
    return hashlib.sha256(get_settings().derived_key(purpose)).hexdigest()[:32]


def master_credentials() -> tuple[str, str]:
    """(sid, auth token) of the master account, created in the sandbox on first use."""
    sid, token = "AC" + _derived("sandbox-master-sid"), _derived("sandbox-master-token")
    with session_scope() as session:
        if session.get(SandboxAccount, sid) is None:
            session.add(SandboxAccount(sid=sid, auth_token=token, friendly_name="CallPlatform"))
            try:
                session.flush()
            except IntegrityError:  # created concurrently
                session.rollback()
    return sid, token
