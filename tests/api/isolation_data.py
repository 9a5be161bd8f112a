"""Two users made through the public API and the sandbox, each with data of their own:
a named number that records, a click-to-call (both legs) with its recording, a text,
a contact naming the party called, an API token. Ann is the victim: her values (and her
recording's audio) are hers alone."""

from __future__ import annotations

import dataclasses
import time

import httpx
from sqlmodel import select

from callplatform.accounts import api_tokens, auth
from callplatform.db import read_scope, session_scope
from callplatform.models import TwilioRecording
from tests.api.public_api import buy_first, client_for
from tests.helpers import PASSWORD, make_user, wait_for
from tests.victim import owned_rows
from twilio_sandbox.models import SandboxRecording

ANN, BOB = "ann@example.com", "bob@example.com"
# name tag, area code, the phone click-to-call rings first, the party it connects
PEOPLE = {
    ANN: ("Zephyr", "415", "+16465550142", "+12125550188"),
    BOB: ("Quill", "312", "+16465550143", "+16175550111"),
}


@dataclasses.dataclass
class Person:
    user_id: int
    client: httpx.Client
    number_id: int
    phone: str
    call_id: int
    call_sids: list[str]
    recording_id: int
    conversation_id: int
    contact_id: int  # their contact names the party they called
    cursor: str  # a page of their call log further on
    media: bytes = b""  # their recording's audio
    workspace_id: int = 0  # their personal workspace, where all the above lives
    invitation_id: int = 0  # a pending invitation to it


def make(base_url: str, email: str) -> Person:
    tag, area, my_phone, to = PEOPLE[email]
    user_id = make_user(email)
    with session_scope() as s:
        api_tokens.create_token(session=s, owner_id=user_id, name=f"{tag} deploy token")
    client = client_for(base_url, email)
    number = buy_first(client, area)
    renamed = client.patch(
        f"/api/twilio/numbers/{number['id']}",
        json={"friendly_name": f"{tag} main line", "record_calls": True},
    )
    assert renamed.status_code == 200, renamed.text
    placed = client.post(
        "/api/twilio/call",
        json={"from_number": number["phone_number"], "to": to, "my_phone": my_phone},
    )
    assert placed.status_code == 201, placed.text
    texted = client.post(
        "/api/messages",
        json={"from_number_id": number["id"], "to": to, "body": f"{tag} private text"},
        headers={"Idempotency-Key": f"{tag}-text"},
    )
    assert texted.status_code == 201, texted.text
    contact = client.post(
        "/api/contacts",
        json={
            "name": f"{tag} Confidant",
            "company": f"{tag} Holdings",
            "numbers": [{"number": to}],
        },
    )
    assert contact.status_code == 201, contact.text
    recordings = wait_for(lambda: client.get("/api/twilio/recordings").json()["recordings"])
    calls = wait_for(lambda: _when_final(client.get("/api/twilio/calls").json()["calls"]))
    page = client.get("/api/twilio/calls", params={"limit": 1}).json()
    workspace_id = client.get("/api/workspaces").json()["workspaces"][0]["id"]
    invited = client.post(
        f"/api/workspaces/{workspace_id}/invitations",
        json={"email": f"{tag.lower()}-guest@example.com", "role": "admin"},
    )
    assert invited.status_code == 201, invited.text
    return Person(
        user_id=user_id,
        client=client,
        number_id=number["id"],
        phone=number["phone_number"],
        call_id=calls[0]["id"],
        call_sids=[c["call_sid"] for c in calls],
        recording_id=recordings[0]["id"],
        conversation_id=texted.json()["conversation_id"],
        contact_id=contact.json()["id"],
        cursor=page["next_cursor"] or "",
        workspace_id=workspace_id,
        invitation_id=invited.json()["id"],
    )


def _when_final(calls: list[dict]):
    final = ("completed", "busy", "failed", "no-answer", "canceled")
    done = len(calls) >= 2 and all(c["status"] in final for c in calls)
    return calls if done else None


def settle(user_id: int, timeout: float = 20.0) -> dict:
    """A's rows once the sandbox has stopped writing them (late callbacks, prices)."""
    last, deadline = None, time.monotonic() + timeout
    while time.monotonic() < deadline:
        with read_scope() as s:
            now = owned_rows(s, user_id)
        if now == last:
            return now
        last = now
        time.sleep(0.4)
    raise AssertionError("A's rows kept changing")


def with_own_audio(ann: Person, bob: Person) -> None:
    """Fetch each recording's audio as its owner; make Ann's unlike any of Bob's (the
    sandbox's audio depends only on the length) so her bytes betray her alone."""
    for person in (ann, bob):
        got = person.client.get(f"/api/twilio/recordings/{person.recording_id}/media")
        assert got.status_code == 200, got.text
        person.media = got.content
    if ann.media == bob.media:
        with session_scope() as s:
            sid = s.get(TwilioRecording, ann.recording_id).recording_sid
            rec = s.exec(select(SandboxRecording).where(SandboxRecording.sid == sid)).one()
            rec.duration = rec.duration + 1 if rec.duration < 29 else rec.duration - 1
            s.add(rec)
        ann.media = ann.client.get(f"/api/twilio/recordings/{ann.recording_id}/media").content
    assert ann.media != bob.media


def browser_session(email: str) -> str:
    with session_scope() as s:
        return auth.login(session=s, email=email, password=PASSWORD, client="127.0.0.1").token
