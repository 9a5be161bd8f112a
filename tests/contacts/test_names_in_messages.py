"""The messages API names the other party of a thread and of each message (inbound:
who sent it; outbound: who it went to) from the workspace's contacts, and leaves the
name out where no contact holds the number."""

from __future__ import annotations

import httpx

from callplatform.accounts import api_tokens, auth, rate_limit
from callplatform.contacts import directory
from callplatform.db import session_scope
from callplatform.messaging import threads
from callplatform.models import Message, UserPhoneNumber
from callplatform.workspaces import access, membership

ADA, STRANGER = "+12125550188", "+13475550144"


def test_threads_and_messages_carry_the_contacts_name(db_url, live_api):
    with session_scope() as s:
        uid = auth.create_user(session=s, email="ann@example.com", password="long enough pw").id
        ws = membership.personal_workspace_id(session=s, user_id=uid)
        member = access.acting_member(session=s, user_id=uid, workspace_id=ws)
        number = UserPhoneNumber(user_id=uid, workspace_id=ws, phone_number="+14155550100")
        s.add(number)
        s.flush()
        for other in (ADA, STRANGER):
            thread = threads.open_thread(
                session=s, workspace_id=ws, number_id=number.id, other_party=other
            )
            for direction in ("inbound", "outbound"):
                ours, theirs = number.phone_number, other
                s.add(
                    Message(
                        workspace_id=ws, conversation_id=thread.id, number_id=number.id,
                        direction=direction, body=f"hello {direction}",
                        from_number=theirs if direction == "inbound" else ours,
                        to_number=ours if direction == "inbound" else theirs,
                    )
                )  # fmt: skip
        directory.create_contact(session=s, member=member, name="Ada", phones=[(ADA, "")])
        raw = api_tokens.create_token(session=s, owner_id=uid, name="api")[1]
    rate_limit.reset()
    with httpx.Client(base_url=live_api, headers={"Authorization": f"Bearer {raw}"}) as client:
        inbox = client.get("/api/conversations").json()
        assert {c["other_party"]: c["other_party_name"] for c in inbox} == {
            ADA: "Ada",
            STRANGER: None,
        }
        ada = next(c for c in inbox if c["other_party"] == ADA)
        thread = client.get(f"/api/conversations/{ada['id']}").json()
        assert thread["conversation"]["other_party_name"] == "Ada"
        assert [m["other_party_name"] for m in thread["messages"]] == ["Ada", "Ada"]
        found = client.get("/api/messages", params={"q": "hello"}).json()["messages"]
        assert sorted(str(m["other_party_name"]) for m in found) == ["Ada", "Ada", "None", "None"]
