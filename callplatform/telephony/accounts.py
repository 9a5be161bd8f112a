"""Subaccounts: one per user, created and suspended/closed with the platform's account."""

from __future__ import annotations

from .client import make_client, platform_credentials
from .errors import translating
from .types import AccountCredentials

SUBACCOUNT_STATUSES = frozenset({"active", "suspended", "closed"})


@translating
def create_subaccount(*, friendly_name: str) -> AccountCredentials:
    """A new subaccount of the platform account, with its own auth token."""
    account = make_client(platform_credentials()).api.v2010.accounts.create(
        friendly_name=friendly_name
    )
    return AccountCredentials(sid=account.sid, auth_token=account.auth_token)


@translating
def update_subaccount_status(*, account_sid: str, status: str) -> None:
    """Suspend, reactivate or close a subaccount. Closing is permanent at Twilio."""
    if status not in SUBACCOUNT_STATUSES:
        # A programming error, not a Twilio failure: fail before anything is sent.
        raise ValueError(f"status must be one of {sorted(SUBACCOUNT_STATUSES)}, not {status!r}")
    make_client(platform_credentials()).api.v2010.accounts(account_sid).update(status=status)
