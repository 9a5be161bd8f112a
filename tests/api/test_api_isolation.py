"""Every door of the HTTP api, enumerated from the app (a new route is covered the day
it is added), called as user B with user A's ids (and then A's every value) in the path,
the query and the body, and as an anonymous client: nothing of A's comes back (not in a
body, a header, a redirect's location, nor A's audio in a download), and no row of A's
changes. Both users have numbers, calls and recordings, made through the API and the
sandbox; what betrays A is read from A's rows (tests/victim.py)."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlmodel import select
from starlette.routing import Mount, Route

from callplatform import config, routes
from callplatform.accounts import rate_limit, sessions
from callplatform.db import read_scope
from callplatform.http_app import SANDBOX_MOUNT, build_api
from callplatform.models import AuditEvent
from tests.api.isolation_data import ANN, BOB, Person, browser_session, make, settle, with_own_audio
from tests.as_text import text_of
from tests.victim import Markers, changes, owned_rows

DOCS = ("/api/openapi.json", "/api/docs", "/api/docs/assets/{name}")


@pytest.fixture
def two_users(telephony, monkeypatch):
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.02")
    monkeypatch.setenv("API_REQUESTS_PER_MINUTE", "100000")  # B's answers, not 429s
    config.reset_settings()
    rate_limit.reset()
    ann, bob = make(telephony, ANN), make(telephony, BOB)
    with_own_audio(ann, bob)
    yield telephony, ann, bob
    ann.client.close()
    bob.client.close()
    rate_limit.reset()


def _doors():
    """(method, path template) of every HTTP route outside the sandbox and the docs."""
    for route in _flatten(build_api().routes):
        if isinstance(route, Mount) and route.path == SANDBOX_MOUNT:
            continue
        if not isinstance(route, (APIRoute, Route)) or not route.path.startswith("/api/"):
            continue
        if route.path in DOCS:
            continue
        for method in sorted(route.methods - {"HEAD"}):
            yield method, route.path


def _flatten(routes):
    """FastAPI keeps an included router's routes behind a wrapper; open every one."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from _flatten(inner.routes) if inner is not None else [route]


def _ids(a: Person) -> dict:
    """A's ids under every name a route might take them."""
    return {
        "number_id": a.number_id,
        "call_id": a.call_id,
        "recording_id": a.recording_id,
        "conversation_id": a.conversation_id,
        "contact_id": a.contact_id,
        "from_number_id": a.number_id,
        "user_id": a.user_id,
        "workspace_id": a.workspace_id,
        "invitation_id": a.invitation_id,
        "id": a.call_id,
    }


def _everything(a: Person) -> dict:
    """A's ids and values under every name a route might take."""
    return _ids(a) | {
        "phone_number": a.phone,
        "from_number": a.phone,
        "my_phone": a.phone,
        "to": a.phone,
        "friendly_name": "taken over",
        "record_calls": False,
        "email": ANN,
        "role": "owner",
        "name": "taken over",
        "token": "x" * 43,
        "password": "wrong password!",
        "cursor": a.cursor,
        "search": a.phone[2:],
        "q": a.phone[2:],
        "text": "name,phone\nTaken Over," + a.phone,
        "CallSid": a.call_sids[0],
        "call_sid": a.call_sids[0],
        "CallStatus": "completed",
    }


def _fill(template: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), ids["number_id"])), template)


def _request(client: httpx.Client, method: str, template: str, values: dict, key: str):
    path = _fill(template, values)
    kwargs = {"headers": {"Idempotency-Key": key}, "params": values}
    if method in ("POST", "PATCH", "PUT"):
        parts = template.split("/")
        webhook = template.startswith("/api/twilio/") and parts[3] in (
            "voice",
            "status",
            "recording",
            "sms",
            "sms-status",
        )
        kwargs["data" if webhook else "json"] = values  # webhooks: form-encoded, unsigned
    return path, client.request(method, path, **kwargs)


def _received(response: httpx.Response) -> str:
    """All a client gets: status, every header (a redirect's location too), the body."""
    return text_of(
        [str(response.status_code), dict(response.headers.multi_items()), response.content]
    )


def _refused_anonymous(response: httpx.Response) -> bool:
    if response.is_redirect:
        return response.headers.get("location", "").split("?")[0] == routes.LOGIN
    return response.status_code in (401, 403, 422)


def _asked_to_call(user_id: int) -> list:
    """The numbers B asked an earlier door to call and was refused: B's workspace's
    activity says so (B's own input echoed back, no leak)."""
    with read_scope() as s:
        refused = s.exec(
            select(AuditEvent.detail).where(
                AuditEvent.action == "call.refused", AuditEvent.actor_user_id == user_id
            )
        ).all()
    return [detail.get("to", "") for detail in refused]


@pytest.mark.parametrize("who", ["bob", "anonymous"])
def test_no_door_shows_or_changes_anns_data(two_users, who):
    base, a, bob = two_users
    with read_scope() as s:
        markers = Markers.of(s, a.user_id, [bob.user_id])
        own = Markers.of(s, bob.user_id, [a.user_id])
    assert len(markers.families) > 15, markers.strings()
    baseline = settle(a.user_id)
    client = bob.client if who == "bob" else httpx.Client(base_url=base, timeout=20)
    doors = list(_doors())
    assert len(doors) >= 15  # the public API, the browser's routes and the webhooks
    failures, shown_own = [], 0
    for method, template in doors:
        if who == "bob":  # B signed in to the web app too (a door may have logged B out)
            client.cookies.set(sessions.SESSION_COOKIE, browser_session(BOB))
        # A's ids in A's workspace, and (B's own workspace in the path) inside B's.
        inside = _ids(a) | {"workspace_id": bob.workspace_id}
        variants = (("ids", _ids(a)), ("everything", _everything(a)), ("in B's", inside))
        for variant, values in variants:
            key = f"iso-{who}-{variant}-{method}-{template}"
            path, response = _request(client, method, template, values, key)
            sent = text_of([method, path, values, _asked_to_call(bob.user_id)])
            where = f"{method} {path} ({variant}) -> {response.status_code}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.text[:200]}")
            leaks = markers.found_in(_received(response), sent)
            shown_own += bool(own.found_in(_received(response), sent))
            if leaks:
                failures.append(f"{where} showed {leaks}")
            if a.media and a.media in response.content:
                failures.append(f"{where} sent A's recording audio")
            public = template.startswith("/api/health")
            if who == "anonymous" and not public and not _refused_anonymous(response):
                failures.append(f"{where}: anonymous was not refused")
        with read_scope() as s:
            now = owned_rows(s, a.user_id)
        failures += [f"{method} {template} changed A's rows: {c}" for c in changes(baseline, now)]
        baseline = now
    if who == "anonymous":
        client.close()
    # B really is signed in (B's own data reaches B); an anonymous client sees no one's.
    assert shown_own > 3 if who == "bob" else shown_own == 0, shown_own
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def test_the_search_sees_what_a_door_shows(two_users):
    """A, asking for A's own things, is shown them: what the suite looks for is there."""
    _base, a, bob = two_users
    with read_scope() as s:
        markers = Markers.of(s, a.user_id, [bob.user_id])
    for path in (
        "/api/twilio/my-numbers",
        "/api/twilio/calls",
        f"/api/twilio/calls/{a.call_id}",
        f"/api/contacts/{a.contact_id}",
        "/api/contacts/export",
    ):
        assert markers.found_in(_received(a.client.get(path))), path
    media = a.client.get(f"/api/twilio/recordings/{a.recording_id}/media")
    assert media.content == a.media
