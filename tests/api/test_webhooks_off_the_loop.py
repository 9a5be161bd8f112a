"""No webhook does its database work on the event loop: the server's one loop also
carries every open tab's events, so a callback waiting on the database there would stall
them all. Every webhook route, enumerated from the app, is called signed (its account's
token not yet cached) while SQL on the loop's thread is recorded."""

from __future__ import annotations

import secrets
import threading

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from callplatform import config
from callplatform.api import signed
from callplatform.api.app import with_fast_paths
from callplatform.db import session_scope
from callplatform.http_app import build_http_app
from callplatform.models import TwilioSubaccount, UserPhoneNumber
from callplatform.telephony.signatures import compute_signature
from callplatform.tenancy import crypto
from tests.api.test_webhook_isolation import webhook_paths
from tests.helpers import make_user, personal_workspace
from tests.live_server import LiveServer

BASE = "https://calls.example.com"


@pytest.fixture
def server(db_url, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", BASE)
    config.reset_settings()
    signed.clear_token_cache()
    with LiveServer(with_fast_paths(build_http_app())) as live:
        yield live
    signed.clear_token_cache()


def test_webhooks_do_their_database_work_off_the_loop(server):
    account, token = "AC" + secrets.token_hex(16), secrets.token_hex(16)
    user = make_user()
    with session_scope() as s:
        s.add(TwilioSubaccount(user_id=user, workspace_id=personal_workspace(user),
                               account_sid=account,
                               auth_token_encrypted=crypto.encrypt(token)))  # fmt: skip
        s.add(
            UserPhoneNumber(
                user_id=user, workspace_id=personal_workspace(user), phone_number="+14155550100"
            )
        )
    on_loop: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        if threading.get_ident() == server._thread.ident:
            on_loop.append(statement.split(None, 1)[0])

    event.listen(Engine, "before_cursor_execute", note)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            for path in webhook_paths():
                signed.clear_token_cache()  # the token is read from the database, too
                params = {"AccountSid": account, "CallSid": "CA" + secrets.token_hex(16),
                          "CallStatus": "completed", "From": "+12125550123",
                          "To": "+14155550100", "RecordingSid": "RE" + secrets.token_hex(16),
                          "DialCallStatus": "no-answer", "SequenceNumber": "1"}  # fmt: skip
                signature = compute_signature(auth_token=token, url=BASE + path,
                                                     params=params)  # fmt: skip
                answer = client.post(path, data=params, headers={"X-Twilio-Signature": signature})
                assert answer.status_code < 300, (path, answer.status_code)
    finally:
        event.remove(Engine, "before_cursor_execute", note)
    assert on_loop == [], f"SQL on the event loop: {on_loop}"
