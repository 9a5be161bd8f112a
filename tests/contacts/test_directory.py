"""Contacts as the services keep them: a workspace's, seen and edited by every member,
deleted by managers or whoever added one; a number names one contact per workspace;
another workspace's contacts are not found; names replace numbers in one query."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from callplatform.common.errors import NotFound, PermissionDenied, ValidationError
from callplatform.contacts import directory, lookup
from callplatform.contacts.directory import Phone
from callplatform.db import read_scope, session_scope


def _add(member, name="Ada Lovelace", phones=(("(415) 555-0100", "mobile"),), **more):
    with session_scope() as s:
        return directory.create_contact(
            session=s, member=member, name=name, phones=list(phones), **more
        )


def _list(member, search=""):
    with read_scope() as s:
        return lookup.list_contacts(session=s, member=member, search=search)


def test_every_member_sees_and_edits_the_workspaces_contacts(people):
    made = _add(people["mia"], company="Analytical Engines", notes="Call after 10.\nNot Fridays.")
    assert made.phones == [Phone("+14155550100", "mobile")]
    assert [c.name for c in _list(people["max"])] == ["Ada Lovelace"]
    with session_scope() as s:
        changed = directory.update_contact(
            session=s, member=people["max"], contact_id=made.id, name="  Ada   King ",
            phones=[("+1 212 555 0188", "work"), ("212-555-0188", "dup")],
        )  # fmt: skip
    assert changed.name == "Ada King" and changed.company == "Analytical Engines"
    assert changed.phones == [Phone("+12125550188", "work")]
    assert changed.notes == "Call after 10.\nNot Fridays."


def test_another_workspaces_contact_is_not_found(people):
    made = _add(people["mia"])
    bob = people["bob"]
    with session_scope() as s:
        for call in (
            lambda: directory.get_contact(session=s, member=bob, contact_id=made.id),
            lambda: directory.update_contact(session=s, member=bob, contact_id=made.id, name="x"),
            lambda: directory.delete_contact(session=s, member=bob, contact_id=made.id),
        ):
            with pytest.raises(NotFound):
                call()
    assert _list(bob) == [] and _list(bob, "415") == []
    with read_scope() as s:
        assert (
            lookup.names_for(session=s, workspace_id=bob.workspace_id, numbers=["+14155550100"])
            == {}
        )
    # Bob may keep the same number under a name of his own.
    assert _add(bob, name="Lady Ada").phones[0].number == "+14155550100"


def test_deleting_is_for_managers_and_whoever_added_it(people):
    by_mia = _add(people["mia"])
    by_max = _add(people["max"], name="Grace", phones=[("+12125550111", "")])
    with session_scope() as s, pytest.raises(PermissionDenied):
        directory.delete_contact(session=s, member=people["max"], contact_id=by_mia.id)
    assert [c.may_delete for c in _list(people["max"])] == [False, True]
    with session_scope() as s:
        directory.delete_contact(session=s, member=people["mia"], contact_id=by_mia.id)
        directory.delete_contact(session=s, member=people["olga"], contact_id=by_max.id)
    assert _list(people["olga"]) == []


def test_a_number_names_one_contact_per_workspace(people):
    _add(people["mia"])
    with pytest.raises(ValidationError, match="already Ada Lovelace's number"):
        _add(people["max"], name="Someone", phones=[("+14155550100", "")])
    with session_scope() as s, pytest.raises(sa.exc.IntegrityError):  # the database's rule too
        s.execute(
            sa.text(
                "INSERT INTO contact_numbers (contact_id, workspace_id, number, label) "
                "SELECT contact_id, workspace_id, number, '' FROM contact_numbers"
            )
        )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "   ", "Enter a name"),
        ("name", "x" * 101, "at most 100"),
        ("name", "a\x00b", "control characters"),
        ("company", "c" * 101, "at most 100"),
        ("notes", "n" * 2001, "at most 2000"),
        ("phones", [("not a number", "")], "not a phone number"),
        ("phones", [(f"+1415555{n:04d}", "") for n in range(11)], "at most 10 numbers"),
    ],
)
def test_what_a_contact_may_hold(people, field, value, message):
    given = {"name": "Ada", "phones": []} | {field: value}
    with session_scope() as s, pytest.raises(ValidationError, match=message):
        directory.create_contact(session=s, member=people["mia"], **given)


def test_search_by_name_company_or_digits(people):
    _add(people["mia"], company="Engines Ltd")
    _add(people["mia"], name="Grace Hopper", phones=[("+12125550111", "")], company="Navy")
    _add(people["mia"], name="100% real", phones=[])
    assert [c.name for c in _list(people["mia"], "ada")] == ["Ada Lovelace"]
    assert [c.name for c in _list(people["mia"], "navy")] == ["Grace Hopper"]
    assert [c.name for c in _list(people["mia"], "(212) 555")] == ["Grace Hopper"]
    assert [c.name for c in _list(people["mia"], "%")] == ["100% real"]
    assert _list(people["mia"], "_") == []
    assert len(_list(people["mia"], "55")) == 0  # two digits are not a number search


def test_names_for_numbers_in_one_query(people):
    _add(people["mia"])
    _add(people["mia"], name="Grace", phones=[("+12125550111", ""), ("+12125550112", "")])
    with read_scope() as s:
        statements = []
        sa.event.listen(s.get_bind(), "before_cursor_execute", lambda *a: statements.append(a[2]))
        names = lookup.names_for(
            session=s, workspace_id=people["max"].workspace_id,
            numbers=["+14155550100", "+12125550112", "+19995550000", ""],
        )  # fmt: skip
        assert lookup.names_for(session=s, workspace_id=1, numbers=[]) == {}
    assert names == {"+14155550100": "Ada Lovelace", "+12125550112": "Grace"}
    assert len([q for q in statements if q.startswith("SELECT")]) == 1


def test_one_click_from_a_number(people):
    with session_scope() as s:
        made = lookup.add_number(session=s, member=people["max"], number="+1 415 555 0100")
        again = lookup.add_number(session=s, member=people["mia"], number="4155550100", name="X")
        named = lookup.add_number(session=s, member=people["mia"], number="+12125550111", name="Bo")
    assert made.name == "+1 (415) 555-0100" and made.phones == [Phone("+14155550100")]
    assert again.id == made.id and named.name == "Bo"
    with read_scope() as s:
        assert lookup.contact_for_number(session=s, member=people["olga"], number="junk") is None
