"""A personal API token's "Last used" follows its use, written at most once a minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from callplatform import config
from callplatform.accounts import api_tokens, rate_limit
from callplatform.db import session_scope
from callplatform.models import ApiToken, User
from callplatform.models.base import utcnow
from tests.api.public_api import client_for
from tests.helpers import make_user


@pytest.fixture
def token(telephony):
    config.reset_settings()
    rate_limit.reset()
    make_user("ann@example.com")
    with session_scope() as s:
        uid = s.exec(select(User.id).where(User.email == "ann@example.com")).one()
        row, raw = api_tokens.create_token(session=s, owner_id=uid, name="CRM sync")
    yield row.id, client_for(telephony, token=raw)
    rate_limit.reset()


def _last_used(token_id: int):
    with session_scope() as s:
        return s.get(ApiToken, token_id).last_used_at


def _set_last_used(token_id: int, when) -> None:
    with session_scope() as s:
        row = s.get(ApiToken, token_id)
        row.last_used_at = when
        s.add(row)


def test_last_used_is_recorded_at_most_once_a_minute(token):
    token_id, client = token
    assert _last_used(token_id) is None
    assert client.get("/api/twilio/my-numbers").status_code == 200
    first = _last_used(token_id)
    assert first is not None and utcnow() - first < timedelta(seconds=30)
    assert client.get("/api/twilio/my-numbers").status_code == 200
    assert _last_used(token_id) == first  # within the minute: no write
    _set_last_used(token_id, utcnow() - timedelta(minutes=5))
    assert client.get("/api/twilio/usage").status_code == 200
    assert utcnow() - _last_used(token_id) < timedelta(seconds=30)
