"""Input no route may answer 500 to, on SQLite and PostgreSQL: ids past any integer
column (40 digits, 2**63), negative and zero ids, the NUL character (psycopg refuses it
in strings), other control characters, 100 KB strings, impossible dates and cursors.
Each gets a clear 4xx (422 with the field for what is malformed, 404 for a well-formed
id that is not yours) and changes nothing."""

from __future__ import annotations

import base64

import pytest
from sqlmodel import select

from callplatform import config
from callplatform.accounts import rate_limit
from callplatform.db import session_scope
from callplatform.models import ApiToken, IdempotencyKey, TwilioCall, User, UserPhoneNumber
from tests.api.public_api import buy_first, client_for
from tests.helpers import make_user

HUGE_IDS = [10**40, 2**63, 2**31, -(2**63) - 1]  # past the INTEGER columns ids live in
BIG_IDS = [2**31 - 1]  # the largest id a row can have: well-formed, just nobody's
BAD_IDS = [0, -1]
NUL, LONG = "a\x00b", "x" * 100_000
CONTROL = "bell\x07"
BAD_STRINGS = [NUL, LONG, CONTROL]
# A URL can't carry 100 KB (clients refuse to send it): query strings get 300 characters.
BAD_QUERY = [NUL, "x" * 300, CONTROL]


@pytest.fixture
def api(telephony, monkeypatch):
    monkeypatch.setenv("API_REQUESTS_PER_MINUTE", "100000")
    config.reset_settings()
    rate_limit.reset()
    make_user("ann@example.com")
    client = client_for(telephony, "ann@example.com")
    yield client
    client.close()
    rate_limit.reset()


def _rows():
    with session_scope() as s:
        return (
            sorted(
                (n.id, n.friendly_name, n.record_calls, n.status)
                for n in s.exec(select(UserPhoneNumber))
            ),
            len(s.exec(select(TwilioCall)).all()),
            len(s.exec(select(IdempotencyKey)).all()),
            sorted((u.id, u.email) for u in s.exec(select(User))),
            len(s.exec(select(ApiToken)).all()),
        )


def _refused(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), response.text[:300]
    assert response.json()["error"]["message"]


def test_ids_out_of_range_are_422_and_unknown_ones_404(api):
    buy_first(api)
    before = _rows()
    for ident in HUGE_IDS + BAD_IDS + BIG_IDS:
        expected = (404,) if ident in BIG_IDS else (422,)
        _refused(api.get(f"/api/twilio/calls/{ident}"), *expected)
        _refused(api.patch(f"/api/twilio/numbers/{ident}", json={"record_calls": True}), *expected)
        _refused(api.delete(f"/api/twilio/numbers/{ident}"), *expected)
        _refused(api.get(f"/api/twilio/recordings/{ident}/media"), *expected)
        if ident not in BIG_IDS:  # a filter on a well-formed id is just an empty page
            _refused(api.get("/api/twilio/calls", params={"number_id": ident}), 422)
    assert _rows() == before


def test_strings_with_nul_control_characters_or_100_kb_are_422(api):
    number = buy_first(api)
    before = _rows()
    for bad in BAD_STRINGS:
        _refused(
            api.patch(f"/api/twilio/numbers/{number['id']}", json={"friendly_name": bad}),
            413,
            422,
        )
        _refused(
            api.post(
                "/api/twilio/numbers",
                json={"phone_number": "+14155550100", "friendly_name": bad},
                headers={"Idempotency-Key": "k-nasty"},
            ),
            413,
            422,
        )
        _refused(
            api.post(
                "/api/twilio/numbers",
                json={"phone_number": bad},
                headers={"Idempotency-Key": "k-nasty-2"},
            ),
            413,
            422,
        )
        call = {"from_number": number["phone_number"], "to": "+12125550123"}
        for field in ("from_number", "to", "my_phone"):
            body = call | {"my_phone": "+16465550142"} | {field: bad}
            _refused(api.post("/api/twilio/call", json=body), 413, 422)
        for field in ("email", "password"):
            body = {"email": "ann@example.com", "password": "long enough pw"} | {field: bad}
            _refused(api.post("/api/auth/token", json=body), 401, 413, 422)
    for bad in BAD_QUERY:
        for name in ("search", "cursor"):
            _refused(api.get("/api/twilio/calls", params={name: bad}), 422)
        for name in ("area_code", "contains", "country"):
            _refused(api.get("/api/twilio/numbers/available", params={name: bad}), 422)
        _refused(api.get("/api/twilio/usage", params={"month": bad}), 422)
    assert _rows() == before


def test_impossible_dates_and_cursors_are_422(api):
    buy_first(api)
    before = _rows()
    forged = [
        base64.urlsafe_b64encode(f"2026-01-01T00:00:00+00:00|{10**40}".encode()).decode(),
        base64.urlsafe_b64encode(b"0001-01-01T00:00:00+14:00|1").decode(),
        base64.urlsafe_b64encode(b"\x00|1").decode(),
        "!!!not base64",
    ]
    for cursor in forged:
        _refused(api.get("/api/twilio/calls", params={"cursor": cursor}), 422)
    for stamp in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-13-45"):
        _refused(api.get("/api/twilio/calls", params={"since": stamp}), 422)
        _refused(api.get("/api/twilio/calls", params={"until": stamp}), 422)
    for month in ("0000-01", "9999-12", "2026-00"):
        answer = api.get("/api/twilio/usage", params={"month": month})
        assert answer.status_code in (200, 422), answer.text
    assert _rows() == before
