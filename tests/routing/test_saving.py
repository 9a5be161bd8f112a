"""Saving a number's routing: only the workspace's managers change it, everyone who may
use the number reads it; members rung must be assigned (or managers) of the number's own
workspace; forwards pass the destination rules; a forward that comes back is a loop."""

from __future__ import annotations

import pytest
from sqlmodel import select

from callplatform.common.errors import NotFound, PermissionDenied, ValidationError
from callplatform.db import session_scope
from callplatform.models import (
    AuditEvent,
    NumberAssignment,
    NumberRouting,
    UserPhoneNumber,
    Workspace,
    WorkspaceMember,
    WorkspaceRole,
)
from callplatform.routing import service
from callplatform.workspaces import access
from tests.helpers import make_user

VOICEMAIL = {"type": "voicemail"}


@pytest.fixture
def team(sqlite_db):
    """Sales: Olga owns it, Adam is an admin, Mia (assigned to the first number) and Max
    are members; three numbers. Eve owns a number in her own workspace."""
    people = {n: make_user(f"{n}@example.com") for n in ("olga", "adam", "mia", "max", "eve")}
    with session_scope() as s:
        sales = Workspace(name="Sales")
        s.add(sales)
        s.flush()
        for name, role in [("olga", WorkspaceRole.OWNER), ("adam", WorkspaceRole.ADMIN),
                           ("mia", WorkspaceRole.MEMBER), ("max", WorkspaceRole.MEMBER)]:  # fmt: skip
            s.add(WorkspaceMember(workspace_id=sales.id, user_id=people[name], role=role))
        rows = [UserPhoneNumber(user_id=people["olga"], workspace_id=sales.id,
                                phone_number=f"+1415555020{n}") for n in (1, 2, 3)]  # fmt: skip
        eves = s.exec(select(WorkspaceMember.workspace_id).where(
            WorkspaceMember.user_id == people["eve"])).one()  # fmt: skip
        rows.append(UserPhoneNumber(user_id=people["eve"], workspace_id=eves,
                                    phone_number="+14155550209"))  # fmt: skip
        s.add_all(rows)
        s.flush()
        s.add(NumberAssignment(number_id=rows[0].id, user_id=people["mia"]))
        return people, sales.id, [r.id for r in rows]


def _as(user_id: int, workspace_id: int) -> access.Member:
    with session_scope() as s:
        return access.acting_member(session=s, user_id=user_id, workspace_id=workspace_id)


def save(member, number_id, *route, **extra):
    with session_scope() as s:
        return service.save_routing(
            session=s, member=member, number_id=number_id,
            document={"route": list(route), **extra},
        )  # fmt: skip


def ring(*user_ids) -> dict:
    return {"type": "ring", "user_ids": list(user_ids)}


def test_managers_save_members_read_outsiders_see_nothing(team):
    people, sales, (first, second, _third, eves) = team
    olga, mia, maxi = (_as(people[n], sales) for n in ("olga", "mia", "max"))
    saved = save(olga, first, ring(people["mia"], people["adam"]), VOICEMAIL)
    with session_scope() as s:
        assert service.get_routing(session=s, member=mia, number_id=first) == saved
        assert service.describe_routing(session=s, member=mia, number_id=first) == (
            "ring mia and adam for 20 s, then voicemail"
        )
        assert s.exec(select(AuditEvent.action)).all()[-1] == "number.routing_saved"
    with pytest.raises(PermissionDenied):
        save(mia, first, VOICEMAIL)
    for outsider, number in ((maxi, first), (mia, second), (olga, eves)):
        with pytest.raises(NotFound), session_scope() as s:
            service.get_routing(session=s, member=outsider, number_id=number)
    with session_scope() as s:
        service.clear_routing(session=s, member=olga, number_id=first)
    with session_scope() as s:
        assert service.get_routing(session=s, member=mia, number_id=first) is None
        assert service.describe_routing(session=s, member=mia, number_id=first).startswith(
            "Default"
        )


def test_only_members_who_may_take_the_numbers_calls_are_rung(team):
    people, sales, (first, second, _third, _eves) = team
    olga = _as(people["olga"], sales)
    save(olga, first, ring(people["mia"], people["olga"], people["adam"]))  # assigned, managers
    for who, number in (("max", first), ("eve", first), ("mia", second)):
        with pytest.raises(ValidationError, match="assigned to this number"):
            save(
                olga,
                number,
                {"type": "menu", "greeting": "Hi", "options": {"1": [ring(people[who])]}},
            )


def test_forwards_pass_the_destination_rules_and_are_stored_in_e164(team):
    people, sales, (first, *_rest) = team
    olga = _as(people["olga"], sales)
    saved = save(olga, first, {"type": "forward", "to": "(415) 555-0123"},
                 blocked=[{"number": "212 555 0100"}])  # fmt: skip
    assert saved.route[0].to == "+14155550123" and saved.blocked[0].number == "+12125550100"
    for to, words in (("+1 900 555 0100", "premium"), ("+44 20 7183 8750", "country"),
                      ("+14155550201", "itself"), ("not a number", "not a phone number")):  # fmt: skip
        with pytest.raises(ValidationError, match=words):
            save(olga, first, {"type": "forward", "to": to})


def test_forwarding_loops_are_refused_on_save(team):
    people, sales, (first, second, third, _eves) = team
    olga = _as(people["olga"], sales)
    save(olga, first, {"type": "forward", "to": "+14155550202"})  # 201 → 202
    with pytest.raises(ValidationError, match="loop"):
        save(olga, second, {"type": "forward", "to": "+14155550201"})  # 202 → 201 → 202
    save(olga, second, {"type": "forward", "to": "+14155550203"})  # 202 → 203
    hidden = {
        "type": "menu",
        "greeting": "Hi",
        "options": {"9": [{"type": "forward", "to": "+14155550201"}]},
    }
    with pytest.raises(ValidationError, match=r"\+14155550201 .*loop|loop"):
        save(olga, third, hidden)  # 203 → 201 → 202 → 203, through a menu
    with session_scope() as s:
        assert len(s.exec(select(NumberRouting)).all()) == 2


def test_a_malformed_document_says_where(team):
    people, sales, (first, *_rest) = team
    with pytest.raises(ValidationError, match=r"route\.0\.ring\.seconds"):
        save(_as(people["olga"], sales), first, {"type": "ring", "user_ids": [1], "seconds": 1})
    with pytest.raises(ValidationError, match="one JSON object"), session_scope() as s:
        service.save_routing(session=s, member=_as(people["olga"], sales), number_id=first,
                             document=["not", "an", "object"])  # fmt: skip
