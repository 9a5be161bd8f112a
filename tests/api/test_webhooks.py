"""Twilio's webhooks against the real app over HTTP: signatures, idempotency, ordering,
and a database failing mid-callback."""

from __future__ import annotations

import random

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import select

from callplatform import config
from callplatform.api import signed
from callplatform.db import get_engine, session_scope
from callplatform.models import TwilioCall, TwilioRecording, TwilioSubaccount, WebhookEvent
from callplatform.telephony.signatures import compute_signature
from callplatform.tenancy import crypto
from tests.helpers import make_user, personal_workspace

ACCOUNT = "AC" + "1" * 32
TOKEN = "f" * 32
CALL = "CA" + "2" * 32


@pytest.fixture
def hook(db_url, live_api, monkeypatch):
    """A user with a subaccount; returns a function that POSTs a signed webhook."""
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://calls.example.com")
    config.reset_settings()
    signed.clear_token_cache()
    user = make_user("ann@example.com")
    with session_scope() as s:
        s.add(
            TwilioSubaccount(
                user_id=user,
                workspace_id=personal_workspace(user),
                account_sid=ACCOUNT,
                auth_token_encrypted=crypto.encrypt(TOKEN),
            )
        )
    client = httpx.Client(base_url=live_api, timeout=10)

    def post(path, params, *, token=TOKEN, signature=None, sign_url=None):
        url = sign_url or f"https://calls.example.com{path}"
        sig = (
            signature
            if signature is not None
            else compute_signature(auth_token=token, url=url, params=params)
        )
        headers = {"X-Twilio-Signature": sig} if sig else {}
        return client.post(path, data=params, headers=headers)

    yield post
    client.close()
    signed.clear_token_cache()


def status(seq: int, call_status: str, **extra) -> dict:
    return {
        "AccountSid": ACCOUNT,
        "CallSid": CALL,
        "From": "+14155550100",
        "To": "+12125550123",
        "Direction": "outbound-dial",
        "CallStatus": call_status,
        "SequenceNumber": str(seq),
        **extra,
    }


LIFE = [
    status(0, "initiated"),
    status(1, "ringing"),
    status(2, "in-progress"),
    status(3, "completed", CallDuration="42"),
]


def _call():
    with session_scope() as s:
        return s.exec(select(TwilioCall).where(TwilioCall.call_sid == CALL)).first()


def _counts():
    with session_scope() as s:
        return (len(s.exec(select(TwilioCall)).all()), len(s.exec(select(WebhookEvent)).all()))


def test_callbacks_in_any_order_and_repeated_end_the_same(hook):
    rng = random.Random(7)
    for round_ in range(8):
        with session_scope() as s:
            s.exec(sa.delete(WebhookEvent))
            s.exec(sa.delete(TwilioCall))
        events = LIFE * 3
        rng.shuffle(events)
        for params in events:
            assert hook("/api/twilio/status", params).status_code == 204
        call = _call()
        assert (call.status, call.duration_seconds, call.last_sequence) == ("completed", 42, 3), (
            round_
        )
        assert call.answered_at is not None and call.direction == "outbound"
        assert _counts() == (1, 4)  # raw events kept once each


def test_a_final_state_is_never_left(hook):
    hook("/api/twilio/status", status(5, "busy", CallDuration="0"))
    hook("/api/twilio/status", status(9, "in-progress"))
    hook("/api/twilio/status", status(10, "completed", CallDuration="9"))
    assert _call().status == "busy"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"signature": ""},
        {"signature": "bm90IGEgc2lnbmF0dXJl"},
        {"token": "0" * 32},
        {"sign_url": "https://evil.example.com/api/twilio/status"},
    ],
    ids=["unsigned", "forged", "wrong-token", "wrong-url"],
)
def test_bad_signatures_get_403_and_change_nothing(hook, kwargs):
    assert hook("/api/twilio/status", status(0, "initiated"), **kwargs).status_code == 403
    assert (
        hook(
            "/api/twilio/recording",
            {"AccountSid": ACCOUNT, "CallSid": CALL, "RecordingSid": "RE" + "3" * 32},
            **kwargs,
        ).status_code
        == 403
    )
    assert hook("/api/twilio/voice", status(0, "ringing"), **kwargs).status_code == 403
    assert _counts() == (0, 0)


def test_unknown_account_gets_403(hook):
    params = dict(status(0, "initiated"), AccountSid="AC" + "9" * 32)
    assert hook("/api/twilio/status", params).status_code == 403


def test_recording_callback_is_idempotent(hook):
    for params in LIFE:
        hook("/api/twilio/status", params)
    rec = {
        "AccountSid": ACCOUNT,
        "CallSid": CALL,
        "RecordingSid": "RE" + "3" * 32,
        "RecordingStatus": "completed",
        "RecordingDuration": "40",
    }
    for _ in range(3):
        assert hook("/api/twilio/recording", rec).status_code == 204
    with session_scope() as s:
        rows = s.exec(select(TwilioRecording)).all()
    assert len(rows) == 1 and rows[0].call_id == _call().id and rows[0].duration_seconds == 40


def test_database_failure_answers_503_then_the_retry_lands(hook):
    engine = get_engine()

    def fail(conn, cursor, statement, *args):
        if "INSERT INTO TWILIO_CALLS" in statement.upper():  # alone, or with the raw event
            raise sa.exc.OperationalError(statement, {}, Exception("disk I/O error"))

    sa.event.listen(engine, "before_cursor_execute", fail)
    try:
        assert hook("/api/twilio/status", LIFE[0]).status_code == 503
    finally:
        sa.event.remove(engine, "before_cursor_execute", fail)
    assert _counts() == (0, 0)  # the raw event rolled back with the rest: nothing half-written
    assert hook("/api/twilio/status", LIFE[0]).status_code == 204  # Twilio's retry
    assert _call().status == "initiated"


def test_a_multipart_form_is_read_and_checked_like_any_other(hook, live_api):
    params = status(0, "initiated")
    url = "https://calls.example.com/api/twilio/status"
    signature = compute_signature(auth_token=TOKEN, url=url, params=params)
    files = {name: (None, value) for name, value in params.items()}  # multipart/form-data
    with httpx.Client(base_url=live_api, timeout=10) as client:
        signed_form = client.post("/api/twilio/status", files=files,
                                  headers={"X-Twilio-Signature": signature})  # fmt: skip
        forged = client.post("/api/twilio/status", files={**files, "CallStatus": (None, "busy")},
                             headers={"X-Twilio-Signature": signature})  # fmt: skip
    assert (signed_form.status_code, forged.status_code) == (204, 403)
    assert _call().status == "initiated"


def test_a_query_string_is_part_of_the_signed_url(hook):
    rec = {"AccountSid": ACCOUNT, "CallSid": CALL, "RecordingSid": "RE" + "5" * 32,
           "RecordingStatus": "completed"}  # fmt: skip
    path = "/api/twilio/recording?kind=voicemail"
    refused = hook(path, rec, sign_url="https://calls.example.com/api/twilio/recording")
    assert (refused.status_code, refused.json()["error"]["message"]) == (
        403,
        "Invalid Twilio signature",
    )
    assert hook(path, rec).status_code == 204
    with session_scope() as s:
        assert s.exec(select(TwilioRecording)).one().is_voicemail


def test_the_platforms_own_account_signs_with_its_token(hook):
    from callplatform.telephony.client import platform_credentials

    platform = platform_credentials()
    params = dict(status(0, "initiated"), AccountSid=platform.sid)
    assert hook("/api/twilio/status", params, token=platform.auth_token).status_code == 204
    assert hook("/api/twilio/status", params).status_code == 403  # not with a user's token
    assert _counts() == (0, 1)  # accepted, and no user's call


def test_a_known_token_is_reused_from_the_cache(hook):
    assert hook("/api/twilio/status", LIFE[0]).status_code == 204
    with session_scope() as s:  # the stored token changes (rotation): the cache still has it
        row = s.exec(select(TwilioSubaccount)).one()
        row.auth_token_encrypted = crypto.encrypt("c" * 32)
        s.add(row)
    assert signed._token_for(ACCOUNT) == TOKEN
    assert hook("/api/twilio/status", LIFE[1]).status_code == 204
    signed.clear_token_cache()
    assert hook("/api/twilio/status", LIFE[2]).status_code == 403
    assert hook("/api/twilio/status", LIFE[2], token="c" * 32).status_code == 204


def test_blank_parameters_are_part_of_the_signed_form(hook):
    params = status(0, "initiated", ForwardedFrom="", CallerName="")  # Twilio sends blanks
    assert hook("/api/twilio/status", params).status_code == 204
    assert _call().status == "initiated"


def test_odd_requests_are_refused_not_crashed_on(hook, live_api):
    url = "https://calls.example.com/api/twilio/status"
    no_account = {k: v for k, v in status(0, "initiated").items() if k != "AccountSid"}
    signature = compute_signature(auth_token=TOKEN, url=url, params=no_account)
    with httpx.Client(base_url=live_api, timeout=10) as client:
        answers = [
            client.post("/api/twilio/status", data=no_account,
                        headers={"X-Twilio-Signature": signature}),
            client.post("/api/twilio/status", headers={"X-Twilio-Signature": signature}),
            client.post("/api/twilio/status", content=b"AccountSid=AC\xff\xfe&CallSid=CA1",
                        headers={"X-Twilio-Signature": signature,
                                 "Content-Type": "application/x-www-form-urlencoded"}),
        ]  # fmt: skip
    assert [a.status_code for a in answers] == [403, 403, 403]
    assert _counts() == (0, 0)
