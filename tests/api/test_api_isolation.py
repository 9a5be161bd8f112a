"""Every door of the HTTP api, enumerated from the app (a new route is covered the day
it is added), called as user B with user A's ids in every argument and as an anonymous
client: nothing of A's comes back, and nothing of A's changes.

Both users have numbers, calls and recordings, made through the API and the sandbox."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlmodel import select
from starlette.routing import Mount, Route

from callplatform import config
from callplatform.api.app import SANDBOX_MOUNT, build_api
from callplatform.db import session_scope
from callplatform.models import TwilioCall, TwilioRecording, UserPhoneNumber
from callplatform.services import rate_limit, sessions
from tests.api.public_api import buy_first, client_for, register, wait_for

ANN, BOB = "ann@example.com", "bob@example.com"


def _with_a_recorded_call(client: httpx.Client, area_code: str, my_phone: str) -> dict:
    number = buy_first(client, area_code)
    client.patch(f"/api/twilio/numbers/{number['id']}", json={"record_calls": True})
    placed = client.post(
        "/api/twilio/call",
        json={"from_number": number["phone_number"], "to": "+12125550123", "my_phone": my_phone},
    )
    assert placed.status_code == 201, placed.text
    recordings = wait_for(lambda: client.get("/api/twilio/recordings").json()["recordings"])
    calls = client.get("/api/twilio/calls").json()["calls"]
    return {
        "number_id": number["id"],
        "phone": number["phone_number"],
        "call_id": calls[0]["id"],
        "call_sids": [c["call_sid"] for c in calls],
        "recording_id": recordings[0]["id"],
    }


@pytest.fixture
def two_users(telephony, monkeypatch):
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.02")
    config.reset_settings()
    rate_limit.reset()
    register(ANN)
    register(BOB)
    ann, bob = client_for(telephony, ANN), client_for(telephony, BOB)
    a = _with_a_recorded_call(ann, "415", "+16465550142")
    _with_a_recorded_call(bob, "312", "+16465550143")
    yield telephony, a, bob
    ann.close()
    bob.close()
    rate_limit.reset()


def _doors():
    """(method, path template) of every HTTP route outside the sandbox and the docs."""
    for route in _flatten(build_api().routes):
        if isinstance(route, Mount) and route.path == SANDBOX_MOUNT:
            continue
        if not isinstance(route, (APIRoute, Route)) or not route.path.startswith("/api/"):
            continue
        if route.path in ("/api/openapi.json", "/api/docs", "/api/docs/oauth2-redirect"):
            continue
        for method in sorted(route.methods - {"HEAD"}):
            yield method, route.path


def _flatten(routes):
    """FastAPI keeps an included router's routes behind a wrapper; open every one."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from _flatten(inner.routes) if inner is not None else [route]


def _fill(path: str, a: dict) -> str:
    ids = {"number_id": a["number_id"], "call_id": a["call_id"], "recording_id": a["recording_id"]}
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), a["number_id"])), path)


def _a_everywhere(a: dict) -> dict:
    """A's values under every name a route might take."""
    return {
        "number_id": a["number_id"],
        "call_id": a["call_id"],
        "recording_id": a["recording_id"],
        "phone_number": a["phone"],
        "from_number": a["phone"],
        "my_phone": a["phone"],
        "to": a["phone"],
        "friendly_name": "taken over",
        "record_calls": False,
        "email": ANN,
        "password": "wrong password!",
        "CallSid": a["call_sids"][0],
        "CallStatus": "completed",
        "AccountSid": "AC" + "0" * 32,
    }


def _snapshot_of_ann():
    with session_scope() as s:
        uid = s.exec(select(UserPhoneNumber.user_id).where(UserPhoneNumber.id.is_not(None))).first()
        return {
            "numbers": [
                (n.id, n.user_id, n.friendly_name, n.status, n.record_calls)
                for n in s.exec(select(UserPhoneNumber).order_by(UserPhoneNumber.id))
            ],
            "calls": [
                (c.id, c.user_id, c.status, c.duration_seconds)
                for c in s.exec(select(TwilioCall).order_by(TwilioCall.id))
            ],
            "recordings": [
                (r.id, r.user_id, r.deleted_at)
                for r in s.exec(select(TwilioRecording).order_by(TwilioRecording.id))
            ],
            "first_owner": uid,
        }


def _leaks(response: httpx.Response, a: dict) -> list[str]:
    text = response.text
    marks = [a["phone"], a["phone"][2:], ANN, *a["call_sids"]]
    return [mark for mark in marks if mark in text]


@pytest.mark.parametrize("who", ["bob", "anonymous"])
def test_no_door_shows_or_changes_anns_data(two_users, who):
    base, a, bob = two_users
    before = _snapshot_of_ann()
    values = _a_everywhere(a)
    if who == "bob":
        client = bob
        bob_session = _browser_session(BOB)
        client.cookies.set(sessions.SESSION_COOKIE, bob_session)
    else:
        client = httpx.Client(base_url=base, timeout=20)
    doors = list(_doors())
    assert len(doors) >= 15  # the public API, the browser media route and the webhooks
    for method, template in doors:
        path = _fill(template, a)
        kwargs = {"headers": {"Idempotency-Key": f"iso-{who}-{method}-{template}"}}
        if method in ("POST", "PATCH", "PUT"):
            if template.startswith("/api/twilio/") and template.split("/")[3] in (
                "voice",
                "status",
                "recording",
                "sms",
            ):
                kwargs["data"] = values  # a webhook: form-encoded, and unsigned
            else:
                kwargs["json"] = values
        response = client.request(method, path, params=values, **kwargs)
        assert response.status_code < 500, (method, path, response.text)
        assert not _leaks(response, a), (method, path, _leaks(response, a))
        if who == "anonymous" and not template.startswith("/api/health"):
            assert response.status_code in (401, 403, 422), (method, path, response.status_code)
    assert _snapshot_of_ann() == before
    client.close()


def _browser_session(email: str) -> str:
    from callplatform.services import auth

    with session_scope() as s:
        return auth.login(
            session=s, email=email, password="long enough pw", client="127.0.0.1"
        ).token
