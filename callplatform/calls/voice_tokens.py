"""Access tokens for the browser's Voice SDK (with real Twilio): minted on the server for
the asking member's own identity only, signed with an API key of the subaccount of the
workspace their tab acts in (so the workspace's numbers ring them there), and
short-lived (the browser asks again before one expires)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from callplatform.calls import voice_webhook
from callplatform.common.errors import ValidationError
from callplatform.common.phone_service import twilio_call
from callplatform.db import end_transaction
from callplatform.models import User
from callplatform.telephony import gateway
from callplatform.tenancy import crypto, subaccounts
from callplatform.workspaces.access import Member

TOKEN_TTL_SECONDS = 3600


@dataclass(frozen=True)
class VoiceToken:
    token: str
    identity: str
    expires_in: int


def get_voice_token(*, session: Session, member: Member) -> VoiceToken:
    user = session.get(User, member.user_id)
    if user is None or user.is_suspended:
        raise ValidationError("Your account is suspended, so calls are disabled.")
    workspace_id = member.workspace_id
    creds = subaccounts.ensure_subaccount(
        session=session, workspace_id=workspace_id, user_id=member.user_id
    )
    app_sid = subaccounts.ensure_twiml_app(session=session, workspace_id=workspace_id)
    key_sid, key_secret = _ensure_api_key(session=session, workspace_id=workspace_id)
    identity = voice_webhook.identity_for(member.user_id)
    token = gateway.voice_access_token(
        account_sid=creds.sid,
        api_key_sid=key_sid,
        api_key_secret=key_secret,
        identity=identity,
        twiml_app_sid=app_sid,
        ttl_seconds=TOKEN_TTL_SECONDS,
    )
    return VoiceToken(token=token, identity=identity, expires_in=TOKEN_TTL_SECONDS)


def _ensure_api_key(*, session: Session, workspace_id: int) -> tuple[str, str]:
    """The subaccount's token-signing key, created on first need."""
    row = subaccounts.get_subaccount(session=session, workspace_id=workspace_id)
    if row.api_key_sid and row.api_key_secret_encrypted:
        return row.api_key_sid, crypto.decrypt(row.api_key_secret_encrypted)
    creds = subaccounts.get_credentials(session=session, workspace_id=workspace_id)
    end_transaction(session)
    with twilio_call():
        key_sid, secret = gateway.create_api_key(creds, friendly_name="CallPlatform browser calls")
    row = subaccounts.get_subaccount(session=session, workspace_id=workspace_id)
    row.api_key_sid, row.api_key_secret_encrypted = key_sid, crypto.encrypt(secret)
    session.add(row)
    session.commit()
    return key_sid, secret
