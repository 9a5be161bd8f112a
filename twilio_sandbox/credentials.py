"""The sandbox's master account (the platform's own "Twilio account") and new SIDs.

The master is the one account without an owner. Its SID and auth token are random,
generated on first use and kept in the sandbox's table like any account's: nothing
public (the code, the app secret's default) lets anyone work them out."""

from __future__ import annotations

import secrets

from sqlalchemy import text
from sqlmodel import Session, col, select

from twilio_sandbox.database import read_scope, session_scope
from twilio_sandbox.models import SandboxAccount

# Any fixed number: PostgreSQL's advisory lock that lets one transaction at a time
# create the master.
_MASTER_LOCK_KEY = 5_550_100_2010


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def new_auth_token() -> str:
    """32 hex characters, as Twilio's auth tokens."""
    return secrets.token_hex(16)


def master_credentials() -> tuple[str, str]:
    """(sid, auth token) of the master account, created in the sandbox on first use."""
    with read_scope() as session:
        master = _master(session)
    if master is None:
        with session_scope() as session:
            _wait_for_other_creators(session)
            master = _master(session)  # another process may have made it meanwhile
            if master is None:
                master = SandboxAccount(
                    sid=new_sid("AC"), auth_token=new_auth_token(), friendly_name="CallPlatform"
                )
                session.add(master)
    return master.sid, master.auth_token


def _master(session: Session) -> SandboxAccount | None:
    query = (
        select(SandboxAccount)
        .where(col(SandboxAccount.owner_account_sid).is_(None))
        .order_by(col(SandboxAccount.date_created), col(SandboxAccount.sid))
    )
    return session.exec(query).first()


def _wait_for_other_creators(session: Session) -> None:
    """Serialise creating the master so concurrent first uses cannot make two. SQLite's
    write transactions already run one at a time (`session_scope` begins IMMEDIATE);
    PostgreSQL takes a transaction-scoped advisory lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MASTER_LOCK_KEY}
        )
