"""Voice SDK access tokens: minted for the asking user's own identity, signed with an API
key of their own subaccount (made once), granting their TwiML app and incoming calls."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest
from sqlmodel import func, select

from callplatform.accounts import auth
from callplatform.admin import users
from callplatform.calls import voice_tokens
from callplatform.common.errors import ValidationError
from callplatform.db import session_scope
from callplatform.models import TwilioSubaccount
from callplatform.tenancy import crypto
from tests.helpers import member_of, personal_workspace
from twilio_sandbox import database as sandbox_database
from twilio_sandbox.models import SandboxApiKey

PASSWORD = "long enough pw"


@pytest.fixture
def ann(telephony):
    with session_scope() as s:
        return auth.create_user(session=s, email="ann@example.com", password=PASSWORD).id


def _mint(user_id: int) -> voice_tokens.VoiceToken:
    member = member_of(user_id)
    with session_scope() as s:
        return voice_tokens.get_voice_token(session=s, member=member)


def test_token_grants_the_users_own_identity_app_and_incoming_calls(ann):
    minted = _mint(ann)
    with session_scope() as s:
        sub = s.exec(
            select(TwilioSubaccount).where(TwilioSubaccount.workspace_id == personal_workspace(ann))
        ).one()
        secret = crypto.decrypt(sub.api_key_secret_encrypted)
    claims = jwt.decode(minted.token, secret, algorithms=["HS256"])
    header = jwt.get_unverified_header(minted.token)
    assert header["cty"] == "twilio-fpa;v=1"
    assert claims["iss"] == sub.api_key_sid and claims["sub"] == sub.account_sid
    assert abs(claims["exp"] - time.time() - voice_tokens.TOKEN_TTL_SECONDS) < 60
    grants = claims["grants"]
    assert grants["identity"] == minted.identity == f"user-{ann}"
    assert grants["voice"]["outgoing"]["application_sid"] == sub.twiml_app_sid
    assert grants["voice"]["incoming"]["allow"] is True

    again = _mint(ann)  # the key is made once and reused
    assert jwt.decode(again.token, secret, algorithms=["HS256"])["iss"] == sub.api_key_sid
    with sandbox_database.read_scope() as s:  # Twilio holds one key for the subaccount
        assert s.exec(select(func.count()).select_from(SandboxApiKey)).one() == 1


def test_suspended_users_get_no_token(ann):
    with session_scope() as s:
        admin = auth.create_user(session=s, email="root@example.com", password=PASSWORD)
        admin.role = "admin"
        s.flush()
        users.set_suspended(session=s, actor=admin, user_id=ann, suspended=True)
    with pytest.raises(ValidationError, match="suspended"):
        _mint(ann)


def test_the_route_answers_only_a_signed_in_browser(ann, telephony):
    with session_scope() as s:
        cookie = auth.login(session=s, email="ann@example.com", password=PASSWORD, client="t").token
    anonymous = httpx.get(f"{telephony}/api/voice/token")
    assert anonymous.status_code == 401 and "token" not in anonymous.json()
    forged = httpx.get(f"{telephony}/api/voice/token", cookies={"cp_session": "forged"})
    assert forged.status_code == 401
    mine = httpx.get(f"{telephony}/api/voice/token", cookies={"cp_session": cookie})
    assert mine.status_code == 200 and mine.json()["identity"] == f"user-{ann}"
    assert mine.headers["cache-control"] == "no-store"
