"""Who in a team sees what, at every door of the HTTP api (enumerated from the app, as
test_api_isolation does): an outsider, a member without the number, a member with it, an
admin and the owner, each with the ids of the workspace's two numbers' calls, recordings
and texts. Number 1 is assigned to Mia; number 2 to nobody. Only the admin and the owner
see number 2's; Mia sees number 1's; Max (no number) and the outsider see neither, and
no door lets any of them change what they can't see."""

from __future__ import annotations

import dataclasses
import secrets

import httpx
import pytest
from sqlmodel import select

from callplatform import config
from callplatform.accounts import api_tokens, rate_limit
from callplatform.db import read_scope, session_scope
from callplatform.models import (
    Conversation,
    Message,
    NumberAssignment,
    NumberStatus,
    TwilioCall,
    TwilioRecording,
    UserPhoneNumber,
    WorkspaceMember,
    WorkspaceRole,
)
from tests.api.test_api_isolation import _doors, _fill, _received
from tests.helpers import make_user, personal_workspace


@dataclasses.dataclass(frozen=True)
class Line:
    """One of the workspace's numbers and what happened on it; `marker` is the party
    number found only in its call and text, `body` only in its text."""

    number_id: int
    call_id: int
    recording_id: int
    conversation_id: int
    marker: str
    body: str


def _line(s, *, workspace_id: int, owner: int, phone: str, marker: str) -> Line:
    number = UserPhoneNumber(
        user_id=owner, workspace_id=workspace_id, phone_number=phone, friendly_name="Line",
        phone_number_sid="PN" + secrets.token_hex(16), status=NumberStatus.ACTIVE,
    )  # fmt: skip
    s.add(number)
    s.flush()
    call = TwilioCall(
        workspace_id=workspace_id, number_id=number.id, call_sid="CA" + secrets.token_hex(16),
        direction="inbound", from_number=marker, to_number=phone, status="completed",
        duration_seconds=30,
    )  # fmt: skip
    s.add(call)
    s.flush()
    rec = TwilioRecording(
        workspace_id=workspace_id, call_id=call.id, call_sid=call.call_sid,
        recording_sid="RE" + secrets.token_hex(16), duration_seconds=20, is_voicemail=True,
    )  # fmt: skip
    thread = Conversation(workspace_id=workspace_id, number_id=number.id, other_party=marker)
    s.add_all([rec, thread])
    s.flush()
    body = f"secret plan {secrets.token_hex(4)}"
    s.add(
        Message(
            workspace_id=workspace_id, conversation_id=thread.id, number_id=number.id,
            direction="inbound", message_sid="SM" + secrets.token_hex(16), from_number=marker,
            to_number=phone, body=body, status="received",
        )
    )  # fmt: skip
    return Line(number.id, call.id, rec.id, thread.id, marker, body)


@pytest.fixture
def team(telephony, monkeypatch):
    """Ann's workspace with two numbers, Mia (member, number 1), Max (member, no
    number), Ada (admin); Oz, an outsider with a workspace of his own. Each acts
    through an API token made in the workspace they act in."""
    monkeypatch.setenv("API_REQUESTS_PER_MINUTE", "100000")
    config.reset_settings()
    rate_limit.reset()
    people = {name: make_user(f"{name}@example.com") for name in ("ann", "mia", "max", "ada", "oz")}
    workspace = personal_workspace(people["ann"])
    with session_scope() as s:
        for name, role in (("mia", "member"), ("max", "member"), ("ada", "admin")):
            s.add(WorkspaceMember(workspace_id=workspace, user_id=people[name],
                                  role=WorkspaceRole(role)))  # fmt: skip
        one = _line(s, workspace_id=workspace, owner=people["ann"], phone="+14155550101",
                    marker="+13035550111")  # fmt: skip
        two = _line(s, workspace_id=workspace, owner=people["ann"], phone="+14155550102",
                    marker="+13035550222")  # fmt: skip
        s.add(NumberAssignment(number_id=one.number_id, user_id=people["mia"]))
        clients = {}
        for name, uid in people.items():
            acts_in = personal_workspace(uid) if name == "oz" else workspace
            _row, raw = api_tokens.create_token(
                session=s, owner_id=uid, name="matrix", workspace_id=acts_in
            )
            clients[name] = httpx.Client(
                base_url=telephony, timeout=20, headers={"Authorization": f"Bearer {raw}"}
            )
    yield clients, one, two
    for client in clients.values():
        client.close()
    rate_limit.reset()


# Who sees which number's calls, recordings and texts.
SEES = {
    "oz": set(),
    "max": set(),
    "mia": {1},
    "ada": {1, 2},
    "ann": {1, 2},
}


def _shown(client: httpx.Client, line: Line) -> dict[str, bool]:
    """Whether the line's call, recording and text reach this client, by list and by id."""
    calls = client.get("/api/twilio/calls").text
    texts = client.get("/api/conversations").text
    return {
        "call in list": line.marker in calls,
        "call by id": client.get(f"/api/twilio/calls/{line.call_id}").status_code == 200,
        "recording in list": line.recording_id in _recording_ids(client),
        "thread in list": line.marker in texts,
        "thread by id": client.get(f"/api/conversations/{line.conversation_id}").status_code == 200,
        "texts searched": line.body in client.get("/api/messages", params={"q": "secret"}).text,
    }


def _recording_ids(client: httpx.Client) -> set[int]:
    response = client.get("/api/twilio/recordings")
    return {r["id"] for r in response.json()["recordings"]} if response.is_success else set()


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_role_sees_exactly_its_numbers_history(team, who):
    clients, one, two = team
    for n, line in ((1, one), (2, two)):
        shown = _shown(clients[who], line)
        expected = n in SEES[who]
        wrong = {what: got for what, got in shown.items() if got != expected}
        assert not wrong, f"{who}, number {n}: expected seen={expected}, got {wrong}"


def _snapshot(line: Line) -> list:
    with read_scope() as s:
        rows = [
            s.get(UserPhoneNumber, line.number_id),
            s.get(TwilioCall, line.call_id),
            s.get(TwilioRecording, line.recording_id),
            s.get(Conversation, line.conversation_id),
            *s.exec(select(Message).where(Message.conversation_id == line.conversation_id)),
            *s.exec(select(NumberAssignment).where(NumberAssignment.number_id == line.number_id)),
        ]
        return [r.model_dump() if r is not None else None for r in rows]


@pytest.mark.parametrize("who", ["oz", "max", "mia"])
def test_no_door_shows_or_changes_a_number_they_may_not_see(team, who):
    """Every route, called with number 2's ids (the number, its call, recording and
    thread) by someone who may not see it: nothing of it comes back, nothing changes."""
    clients, _one, two = team
    client = clients[who]
    ids = {
        "number_id": two.number_id,
        "from_number_id": two.number_id,
        "call_id": two.call_id,
        "id": two.call_id,
        "recording_id": two.recording_id,
        "conversation_id": two.conversation_id,
        "to": two.marker,
        "user_ids": [],
        "enabled": False,
        "friendly_name": "taken over",
        "record_calls": False,
    }
    before = _snapshot(two)
    failures = []
    for method, template in _doors():
        path = _fill(template, ids)
        kwargs = {"params": ids, "headers": {"Idempotency-Key": secrets.token_hex(8)}}
        if method in ("POST", "PATCH", "PUT"):
            kwargs["json"] = ids
        response = client.request(method, path, **kwargs)
        where = f"{who}: {method} {path} -> {response.status_code}"
        if response.status_code >= 500:
            failures.append(f"{where}: {response.text[:200]}")
        got = _received(response)
        if two.marker in got or two.body in got:
            failures.append(f"{where} showed number 2's call or text")
        if _snapshot(two) != before:
            failures.append(f"{where} changed number 2's rows")
            before = _snapshot(two)
    assert not failures, "\n".join(failures)
