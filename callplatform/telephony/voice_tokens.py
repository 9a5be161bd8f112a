"""What the browser's Voice SDK needs from Twilio: an API key in the user's subaccount
(created once; its secret signs tokens), and short-lived access tokens for one identity
that may call out through the subaccount's TwiML app and receive calls."""

from __future__ import annotations

from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import VoiceGrant

from .client import make_client
from .errors import translating
from .types import AccountCredentials


@translating
def create_api_key(creds: AccountCredentials, *, friendly_name: str) -> tuple[str, str]:
    """A new API key of the account: (SID, secret). Twilio shows the secret only now."""
    key = (
        make_client(creds)
        .api.v2010.accounts(creds.sid)
        .new_keys.create(friendly_name=friendly_name)
    )
    return key.sid, key.secret


def voice_access_token(
    *,
    account_sid: str,
    api_key_sid: str,
    api_key_secret: str,
    identity: str,
    twiml_app_sid: str,
    ttl_seconds: int,
) -> str:
    """A signed access token for the Voice JavaScript SDK (`new Device(token)`)."""
    token = AccessToken(
        account_sid, api_key_sid, api_key_secret, identity=identity, ttl=ttl_seconds
    )
    token.add_grant(VoiceGrant(outgoing_application_sid=twiml_app_sid, incoming_allow=True))
    return token.to_jwt()
