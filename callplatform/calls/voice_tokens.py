"""Access tokens for the browser's Voice SDK (with real Twilio): minted on the server for
the asking user's own identity only, signed with an API key of their own subaccount, and
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

TOKEN_TTL_SECONDS = 3600


@dataclass(frozen=True)
class VoiceToken:
    token: str
    identity: str
    expires_in: int


def get_voice_token(*, session: Session, user: User) -> VoiceToken:
    if user.is_suspended:
        raise ValidationError("Your account is suspended, so calls are disabled.")
    creds = subaccounts.ensure_subaccount(session=session, user_id=user.id)
    app_sid = subaccounts.ensure_twiml_app(session=session, user_id=user.id)
    key_sid, key_secret = _ensure_api_key(session=session, user_id=user.id)
    identity = voice_webhook.identity_for(user.id)
    token = gateway.voice_access_token(
        account_sid=creds.sid,
        api_key_sid=key_sid,
        api_key_secret=key_secret,
        identity=identity,
        twiml_app_sid=app_sid,
        ttl_seconds=TOKEN_TTL_SECONDS,
    )
    return VoiceToken(token=token, identity=identity, expires_in=TOKEN_TTL_SECONDS)


def _ensure_api_key(*, session: Session, user_id: int) -> tuple[str, str]:
    """The subaccount's token-signing key, created on first need."""
    row = subaccounts.get_subaccount(session=session, user_id=user_id)
    if row.api_key_sid and row.api_key_secret_encrypted:
        return row.api_key_sid, crypto.decrypt(row.api_key_secret_encrypted)
    creds = subaccounts.get_credentials(session=session, user_id=user_id)
    end_transaction(session)
    with twilio_call():
        key_sid, secret = gateway.create_api_key(creds, friendly_name="CallPlatform browser calls")
    row = subaccounts.get_subaccount(session=session, user_id=user_id)
    row.api_key_sid, row.api_key_secret_encrypted = key_sid, crypto.encrypt(secret)
    session.add(row)
    session.commit()
    return key_sid, secret
