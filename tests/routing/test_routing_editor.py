"""The routing editor on the Numbers page: the owner reads the summary and the document
(the default written out when there is none), saves JSON (errors shown, nothing saved),
goes back to the default; another user calling the handlers with the owner's number id
sees and changes nothing."""

from __future__ import annotations

import json

from sqlmodel import select

from callplatform.db import session_scope
from callplatform.models import NumberRouting, UserPhoneNumber
from callplatform.pages.numbers.routing import RoutingState
from callplatform.workspaces import membership
from tests.helpers import make_user
from tests.state.harness import call, login_token, state_for

PASSWORD = "long enough pw"


def _number(owner: int) -> int:
    with session_scope() as s:
        row = UserPhoneNumber(
            user_id=owner,
            workspace_id=membership.personal_workspace_id(session=s, user_id=owner),
            phone_number="+14155550188",
        )
        s.add(row)
        s.flush()
        return row.id


def _stored():
    with session_scope() as s:
        return [(r.number_id, r.document) for r in s.exec(select(NumberRouting))]


def test_the_owner_edits_the_routing_and_sees_the_summary(sqlite_db):
    ann = make_user("ann@example.com")
    number = _number(ann)
    tab = state_for(RoutingState, login_token("ann@example.com", PASSWORD))
    call(tab, "open_routing", number)
    assert tab.routing_summary.startswith("Default") and tab.routing_may_edit
    assert json.loads(tab.routing_text)["route"][0] == {"type": "ring", "user_ids": [ann],
                                                        "seconds": 20}  # fmt: skip
    call(tab, "set_routing_text", "{not json")
    call(tab, "save_routing")
    assert "valid JSON" in tab.routing_error and _stored() == []
    call(
        tab,
        "set_routing_text",
        json.dumps({"route": [{"type": "forward", "to": "+1 900 555 0100"}]}),
    )
    call(tab, "save_routing")
    assert "premium" in tab.routing_error and _stored() == []
    call(tab, "set_routing_text", json.dumps({"route": [{"type": "say", "text": "Hello"},
                                                        {"type": "voicemail"}]}))  # fmt: skip
    call(tab, "save_routing")
    assert tab.routing_error == "" and tab.routing_summary == "greeting, then voicemail"
    assert [n for n, _ in _stored()] == [number]
    call(tab, "clear_routing")
    assert _stored() == [] and tab.routing_summary.startswith("Default")


def test_another_user_sees_and_changes_nothing(sqlite_db):
    ann = make_user("ann@example.com")
    make_user("bob@example.com")
    number = _number(ann)
    with session_scope() as s:
        s.add(NumberRouting(number_id=number, document={"route": [{"type": "hangup"}]}))
    before = _stored()
    bob = state_for(RoutingState, login_token("bob@example.com", PASSWORD))
    call(bob, "open_routing", number)
    assert bob.routing_number_id == 0 and "hang up" not in bob.routing_summary
    assert "hangup" not in bob.routing_text
    bob.routing_number_id, bob.routing_text = number, json.dumps({"route": [{"type": "voicemail"}]})
    call(bob, "save_routing")
    call(bob, "clear_routing")
    assert "isn't one of this workspace's" in bob.routing_error
    assert _stored() == before
