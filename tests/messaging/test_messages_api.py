"""Texts over the API: send (idempotent: a retry with the same key sends once), the
inbox and a thread of the credential's workspace only, search; another user's thread is
404 and their number cannot send."""

from __future__ import annotations

import httpx
from sqlmodel import select

from callplatform.accounts import api_tokens
from callplatform.db import session_scope
from callplatform.models import Message
from tests.helpers import personal_workspace, wait_for, wait_for_db


def _client(base: str, uid: int) -> httpx.Client:
    with session_scope() as s:
        raw = api_tokens.create_token(session=s, owner_id=uid, name="api")[1]
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {raw}"}, timeout=20)


def test_send_read_and_search_over_the_api(texters, telephony):
    (ann, ann_number, ann_phone), (bob, bob_number, bob_phone) = texters["ann"], texters["bob"]
    anns, bobs = _client(telephony, ann), _client(telephony, bob)
    send = {"from_number_id": ann_number, "to": bob_phone, "body": "Lunch at 12?"}
    first = anns.post("/api/messages", json=send, headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201, first.text
    again = anns.post("/api/messages", json=send, headers={"Idempotency-Key": "k1"})
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    with session_scope() as s:
        assert len(s.exec(select(Message).where(Message.direction == "outbound")).all()) == 1
    inbox = wait_for(lambda: bobs.get("/api/conversations").json())
    assert [(c["other_party"], c["unread"]) for c in inbox] == [(ann_phone, 1)]
    thread = bobs.get(f"/api/conversations/{inbox[0]['id']}").json()
    assert [m["body"] for m in thread["messages"]] == ["Lunch at 12?"]
    assert [
        m["body"] for m in bobs.get("/api/messages", params={"q": "LUNCH"}).json()["messages"]
    ] == ["Lunch at 12?"]
    # Ann's side: her thread is hers; Bob's is not hers to read, nor his number hers to use.
    wait_for_db(lambda s: s.get(Message, first.json()["id"]).status == "delivered")
    assert anns.get(f"/api/conversations/{inbox[0]['id']}").status_code == 404
    found = anns.get("/api/messages", params={"q": "lunch"}).json()["messages"]
    assert found[0]["status"] == "delivered"
    spoof = {"from_number_id": bob_number, "to": ann_phone, "body": "hi"}
    assert (
        anns.post("/api/messages", json=spoof, headers={"Idempotency-Key": "k2"}).status_code == 404
    )
    bad = {"from_number_id": ann_number, "to": "+19005550100", "body": "hi"}
    refused = anns.post("/api/messages", json=bad, headers={"Idempotency-Key": "k3"})
    assert refused.status_code == 422 and "premium" in refused.json()["error"]["message"]
    anns.close()
    bobs.close()


def test_a_thread_shows_the_calls_with_that_person_and_what_each_text_cost(texters, telephony):
    from datetime import timedelta

    from callplatform.messaging import pricing
    from callplatform.models import TwilioCall
    from callplatform.models.base import utcnow

    (ann, ann_number, ann_phone), (_, _, bob_phone) = texters["ann"], texters["bob"]
    anns = _client(telephony, ann)
    sent = anns.post("/api/messages", json={"from_number_id": ann_number, "to": bob_phone,
                                            "body": "Call me?"}, headers={"Idempotency-Key": "t1"})  # fmt: skip
    with session_scope() as s:  # Ann's call with Bob on this number, one with someone else
        for party in (bob_phone, "+16175550111"):
            s.add(TwilioCall(workspace_id=personal_workspace(ann), handled_by=ann,
                             number_id=ann_number, call_sid=f"CA{party[-10:]:0>32}",
                             direction="outbound", from_number=ann_phone, to_number=party,
                             status="completed", started_at=utcnow() + timedelta(seconds=1)))  # fmt: skip
    wait_for_db(lambda s: s.get(Message, sent.json()["id"]).status == "delivered")
    with session_scope() as s:
        pricing.price_messages(session=s, settle=timedelta(0))
    thread = anns.get(f"/api/conversations/{sent.json()['conversation_id']}").json()
    assert [c["to_number"] for c in thread["calls"]] == [bob_phone]
    (text,) = thread["messages"]
    assert text["charge"] is not None and float(text["charge"]) > 0
    anns.close()


def test_messages_page_by_cursor_and_filter(texters, telephony):
    (ann, ann_number, _), (_, _, bob_phone) = texters["ann"], texters["bob"]
    anns = _client(telephony, ann)
    for n in range(5):
        sent = anns.post("/api/messages", json={"from_number_id": ann_number, "to": bob_phone,
                                                "body": f"note {n}"}, headers={"Idempotency-Key": f"p{n}"})  # fmt: skip
        assert sent.status_code == 201, sent.text
    seen, cursor = [], ""
    while True:
        page = anns.get("/api/messages", params={"limit": 2, "cursor": cursor,
                                                 "direction": "outbound"}).json()  # fmt: skip
        seen += [m["body"] for m in page["messages"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"note {n}" for n in (4, 3, 2, 1, 0)]  # newest first, each once
    assert anns.get("/api/messages", params={"direction": "inbound"}).json()["messages"] == []
    bad = anns.get("/api/messages", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "cursor"
    assert anns.get("/api/messages", params={"direction": "sideways"}).status_code == 422
    anns.close()
