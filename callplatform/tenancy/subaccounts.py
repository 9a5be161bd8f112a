"""Each workspace's own Twilio subaccount: created on first need (by the member who first
needs it), token stored encrypted. Everything the subaccount does belongs to the
workspace; a webhook acts only in the workspace whose subaccount signed it."""

from __future__ import annotations

import weakref

from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from callplatform.common import webhook_urls
from callplatform.common.phone_service import twilio_call
from callplatform.db import end_transaction
from callplatform.models import TwilioSubaccount
from callplatform.telephony import gateway
from callplatform.telephony.types import AccountCredentials
from callplatform.tenancy import crypto


def _credentials(row: TwilioSubaccount) -> AccountCredentials:
    return AccountCredentials(
        sid=row.account_sid, auth_token=crypto.decrypt(row.auth_token_encrypted)
    )


def get_subaccount(*, session: Session, workspace_id: int) -> TwilioSubaccount | None:
    return session.exec(
        select(TwilioSubaccount).where(TwilioSubaccount.workspace_id == workspace_id)
    ).first()


def get_credentials(*, session: Session, workspace_id: int) -> AccountCredentials | None:
    row = get_subaccount(session=session, workspace_id=workspace_id)
    return _credentials(row) if row else None


def ensure_subaccount(*, session: Session, workspace_id: int, user_id: int) -> AccountCredentials:
    """The workspace's subaccount credentials, creating the subaccount at Twilio on first
    need (`user_id`: the member who needs it, kept as its maker).

    Commits the new row at once: a subaccount that exists at Twilio is never forgotten.
    If two requests race, the loser closes the subaccount it made and uses the winner's.
    """
    row = get_subaccount(session=session, workspace_id=workspace_id)
    if row:
        return _credentials(row)
    end_transaction(session)
    with twilio_call():
        created = gateway.create_subaccount(friendly_name=f"CallPlatform workspace {workspace_id}")
    session.add(
        TwilioSubaccount(
            user_id=user_id,
            workspace_id=workspace_id,
            account_sid=created.sid,
            auth_token_encrypted=crypto.encrypt(created.auth_token),
        )
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        with twilio_call():
            gateway.update_subaccount_status(account_sid=created.sid, status="closed")
        return _credentials(get_subaccount(session=session, workspace_id=workspace_id))
    return created


# Kept per engine: one process may serve several databases (tests do, one after another,
# even a database of the same URL emptied in between), and the same AccountSid names a
# different workspace in each.
_owner_by_account: weakref.WeakKeyDictionary[Engine, dict[str, int]] = weakref.WeakKeyDictionary()
_OWNER = text("SELECT workspace_id FROM twilio_subaccounts WHERE account_sid = :sid")


def find_workspace_id_by_account(*, session: Session, account_sid: str) -> int | None:
    """The workspace a subaccount belongs to. Cached: the pairing never changes once
    made, and every webhook asks."""
    engine = (session.get_bind() if isinstance(session, Session) else session).engine
    owners = _owner_by_account.get(engine)
    if owners is None:
        owners = _owner_by_account.setdefault(engine, {})
    workspace_id = owners.get(account_sid)
    if workspace_id is None:
        workspace_id = session.execute(_OWNER, {"sid": account_sid}).scalar()
        if workspace_id is None:
            return None
        owners[account_sid] = workspace_id
    return workspace_id


def get_credentials_by_account(*, session: Session, account_sid: str) -> AccountCredentials | None:
    row = session.exec(
        select(TwilioSubaccount).where(TwilioSubaccount.account_sid == account_sid)
    ).first()
    return _credentials(row) if row else None


def ensure_twiml_app(*, session: Session, workspace_id: int) -> str:
    """The subaccount's TwiML app (browser calls ask our voice webhook through it)."""
    row = get_subaccount(session=session, workspace_id=workspace_id)
    if row.twiml_app_sid:
        return row.twiml_app_sid
    creds = _credentials(row)
    end_transaction(session)
    with twilio_call():
        app_sid = gateway.create_twiml_app(
            creds,
            friendly_name="CallPlatform browser calls",
            voice_url=webhook_urls.url(webhook_urls.VOICE_PATH),
            status_callback=webhook_urls.url(webhook_urls.STATUS_PATH),
        )
    row = get_subaccount(session=session, workspace_id=workspace_id)
    row.twiml_app_sid = app_sid
    session.add(row)
    session.commit()
    return app_sid
