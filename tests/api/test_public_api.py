"""The public REST API end to end: bearer tokens, numbers (idempotent buy), click-to-call
through the sandbox, the call log, recordings, usage, errors as JSON, and 429s."""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from callplatform import config
from callplatform.accounts import api_tokens, auth, rate_limit
from callplatform.callbacks import reconcile
from callplatform.db import session_scope
from callplatform.models import IdempotencyKey, User, UserPhoneNumber
from tests.api.public_api import buy_first, client_for
from tests.helpers import make_user, wait_for


@pytest.fixture
def api(telephony, monkeypatch):
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.02")
    config.reset_settings()
    rate_limit.reset()
    make_user("ann@example.com")
    client = client_for(telephony, "ann@example.com")
    yield client
    client.close()
    rate_limit.reset()


def _numbers_in_db() -> int:
    with session_scope() as s:
        return s.exec(select(func.count()).select_from(UserPhoneNumber)).one()


def test_buy_is_idempotent_and_numbers_can_be_renamed_and_released(api):
    offer = api.get("/api/twilio/numbers/available", params={"area_code": "415"}).json()[0]
    assert offer["display"].startswith("+1 (415) ")
    body = {"phone_number": offer["phone_number"], "friendly_name": "Sales"}
    first = api.post("/api/twilio/numbers", json=body, headers={"Idempotency-Key": "k-1"})
    again = api.post("/api/twilio/numbers", json=body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert _numbers_in_db() == 1
    other = api.post(
        "/api/twilio/numbers",
        json={"phone_number": "+14155550999"},
        headers={"Idempotency-Key": "k-1"},
    )
    assert other.status_code == 422 and other.json()["error"]["field"] == "Idempotency-Key"

    number = first.json()
    assert number["friendly_name"] == "Sales" and number["monthly_price"] == "1.15"
    mine = api.get("/api/twilio/my-numbers").json()
    assert [n["id"] for n in mine] == [number["id"]]

    patched = api.patch(
        f"/api/twilio/numbers/{number['id']}",
        json={"friendly_name": "Support", "record_calls": True},
    )
    assert patched.status_code == 200
    assert patched.json()["friendly_name"] == "Support" and patched.json()["record_calls"]

    assert api.delete(f"/api/twilio/numbers/{number['id']}").status_code == 204
    assert api.get("/api/twilio/my-numbers").json() == []
    gone = api.delete(f"/api/twilio/numbers/{number['id']}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"


def test_bad_input_is_explained_and_changes_nothing(api):
    bad_area = api.get("/api/twilio/numbers/available", params={"area_code": "12"})
    assert bad_area.status_code == 422 and bad_area.json()["error"]["field"] == "area_code"
    no_key = api.post("/api/twilio/numbers", json={"phone_number": "+14155550100"})
    assert no_key.status_code == 422 and "idempotency" in no_key.json()["error"]["field"].lower()
    bad = api.post(
        "/api/twilio/numbers",
        json={"phone_number": "not a number"},
        headers={"Idempotency-Key": "x"},
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "phone_number"
    assert _numbers_in_db() == 0
    with session_scope() as s:  # the failed request let go of its key: a retry runs anew
        assert s.exec(select(func.count()).select_from(IdempotencyKey)).one() == 0
    empty = api.patch("/api/twilio/numbers/1", json={})
    assert empty.status_code in (404, 422)
    assert api.get("/api/twilio/calls", params={"status": "nope"}).status_code == 422
    assert api.get("/api/twilio/calls", params={"cursor": "garbage"}).status_code == 422


def test_click_to_call_rings_me_then_connects_and_is_logged_with_its_cost(api):
    number = buy_first(api)
    api.patch(f"/api/twilio/numbers/{number['id']}", json={"record_calls": True})
    placed = api.post(
        "/api/twilio/call",
        json={"from_number": number["display"], "to": "(212) 555-0123", "my_phone": "+16465550142"},
    )
    assert placed.status_code == 201, placed.text
    leg = placed.json()
    assert leg["to_number"] == "+16465550142" and leg["from_number"] == number["phone_number"]

    def both_legs_done():
        calls = api.get("/api/twilio/calls").json()["calls"]
        done = [c for c in calls if c["status"] == "completed"]
        return calls if len(done) == 2 else None

    calls = wait_for(both_legs_done)
    child = next(c for c in calls if c["parent_call_sid"] == leg["call_sid"])
    assert child["to_number"] == "+12125550123" and child["duration_seconds"] == 5 + 23 % 20

    with session_scope() as s:  # Twilio prices calls after they end: the sweep reads them
        reconcile.reconcile_calls(session=s)
    detail = api.get(f"/api/twilio/calls/{child['id']}").json()
    assert [e["status"] for e in detail["events"]][-1] == "completed"
    assert detail["call"]["charge"] is not None
    recordings = wait_for(lambda: api.get("/api/twilio/recordings").json()["recordings"])
    media = api.get(recordings[0]["media_url"])
    assert media.status_code == 200 and media.content[:4] == b"RIFF"

    usage = api.get("/api/twilio/usage").json()
    kinds = {item["key"] for item in usage["by_kind"]}
    assert {"number_monthly", "call"} <= kinds and float(usage["total"]) > 1.15


def test_click_to_call_ends_at_my_phone_when_it_is_busy_or_unanswered(api):
    number = buy_first(api)
    legs = {}
    for my_phone, outcome in (("+16465550101", "busy"), ("+16465550102", "no-answer")):
        placed = api.post(
            "/api/twilio/call",
            json={
                "from_number": number["phone_number"],
                "to": "+12125550123",
                "my_phone": my_phone,
            },
        )
        assert placed.status_code == 201, placed.text
        legs[placed.json()["id"]] = outcome

    def all_ended():
        calls = api.get("/api/twilio/calls").json()["calls"]
        return calls if all(c["status"] != "queued" for c in calls) else None

    calls = wait_for(all_ended)
    assert {c["id"]: c["status"] for c in calls} == legs  # and the destination never rang
    assert all(not c["duration_seconds"] for c in calls)


def test_click_to_call_refuses_what_the_rules_refuse(api):
    number = buy_first(api)
    cases = [
        ({"to": "+442071838750"}, "to"),  # another country
        ({"to": "+19005550123"}, "to"),  # premium rate
        ({"my_phone": "+19005550123"}, "my_phone"),
        ({"from_number": "+13125550100"}, "from_number"),  # not one of mine
    ]
    for change, field in cases:
        body = {"from_number": number["phone_number"], "to": "+12125550123"}
        body |= {"my_phone": "+16465550142"} | change
        refused = api.post("/api/twilio/call", json=body)
        assert refused.status_code == 422, (change, refused.text)
        assert refused.json()["error"]["field"] == field
    assert api.get("/api/twilio/calls").json()["calls"] == []


def test_call_log_pages_with_a_cursor(api):
    number = buy_first(api)
    for tail in ("0111", "0112", "0113"):
        api.post(
            "/api/twilio/call",
            json={
                "from_number": number["phone_number"],
                "to": f"+1212555{tail}",
                "my_phone": "+16465550142",
            },
        )
    wait_for(lambda: len(api.get("/api/twilio/calls").json()["calls"]) >= 6)
    seen, cursor = [], None
    while True:
        page = api.get(
            "/api/twilio/calls", params={"limit": 2} | ({"cursor": cursor} if cursor else {})
        )
        seen += [c["id"] for c in page.json()["calls"]]
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 6
    outbound = api.get("/api/twilio/calls", params={"direction": "inbound"}).json()["calls"]
    assert outbound == []


def test_tokens_are_checked_on_every_request(api, telephony):
    anonymous = client_for(telephony)
    for path in ("/api/twilio/my-numbers", "/api/twilio/calls", "/api/twilio/usage"):
        response = anonymous.get(path)
        assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
    forged = client_for(telephony, token=api.headers["Authorization"].split()[1][:-3] + "abc")
    assert forged.get("/api/twilio/my-numbers").status_code == 401
    bad_login = anonymous.post(
        "/api/auth/token", json={"email": "ann@example.com", "password": "wrong password"}
    )
    assert bad_login.status_code == 401


def test_password_change_ends_every_jwt(api):
    assert api.get("/api/twilio/my-numbers").status_code == 200
    with session_scope() as s:
        user = s.exec(select(User).where(User.email == "ann@example.com")).one()
        auth.change_password(
            session=s,
            user=user,
            current_password="long enough pw",
            new_password="another long pw",
            keep_token="",
        )
    assert api.get("/api/twilio/my-numbers").status_code == 401


def test_personal_api_tokens_work_until_revoked(api, telephony):
    with session_scope() as s:
        uid = s.exec(select(User.id).where(User.email == "ann@example.com")).one()
        row, raw = api_tokens.create_token(session=s, owner_id=uid, name="CRM sync")
        token_id = row.id
    client = client_for(telephony, token=raw)
    assert client.get("/api/twilio/my-numbers").status_code == 200
    with session_scope() as s:
        api_tokens.revoke_token(session=s, owner_id=uid, token_id=token_id)
    assert client.get("/api/twilio/my-numbers").status_code == 401


def test_too_many_requests_get_429_with_retry_after(api, monkeypatch):
    monkeypatch.setenv("API_REQUESTS_PER_MINUTE", "3")
    config.reset_settings()
    statuses = [api.get("/api/twilio/my-numbers") for _ in range(4)]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert int(statuses[-1].headers["Retry-After"]) > 0
    assert statuses[-1].json()["error"]["code"] == "rate_limited"


def test_openapi_document_and_docs_are_served(api):
    document = api.get("/api/openapi.json").json()
    for path in (
        "/api/auth/token",
        "/api/twilio/my-numbers",
        "/api/twilio/numbers/available",
        "/api/twilio/numbers",
        "/api/twilio/numbers/{number_id}",
        "/api/twilio/call",
        "/api/twilio/calls",
        "/api/twilio/calls/{call_id}",
        "/api/twilio/recordings",
        "/api/twilio/recordings/{recording_id}/media",
        "/api/twilio/usage",
    ):
        assert path in document["paths"], path
    assert "/api/twilio/status" not in document["paths"]  # webhooks are not the public API
    assert api.get("/api/docs").status_code == 200


def test_docs_page_serves_swagger_ui_from_the_app(api):
    page = api.get("/api/docs").text
    assert "cdn." not in page and "<script>" not in page
    assert 'href="/api/openapi.json"' in page
    for src in re.findall(r'(?:src|href)="(/api/docs/assets/[^"?]+)', page):
        answer = api.get(src)
        assert answer.status_code == 200 and len(answer.content) > 100, src
    assert api.get("/api/docs/assets/..%2Fdocs.py").status_code == 404
    assert api.get("/api/docs/assets/app.py").status_code == 404
