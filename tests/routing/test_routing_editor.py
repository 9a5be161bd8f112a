"""The routing editor (/numbers/<id>/routing) through its handlers, as a client calls
them: the owner builds business hours and a two-key menu in the form, the summary follows
every edit before anything is saved, errors are named by field and nothing is saved with
one; what is saved is the route document the call-time code reads, and it reads back
into the same form. Another user, or a member who may only use the number, changes
nothing whatever they send."""

from __future__ import annotations

from sqlmodel import select

from callplatform.db import session_scope
from callplatform.models import NumberAssignment, NumberRouting, UserPhoneNumber, WorkspaceMember
from callplatform.pages.numbers.routing_editor.state import MemberOption, RoutingEditorState
from callplatform.workspaces import membership
from tests.helpers import make_user
from tests.state.exposure import open_tab
from tests.state.harness import call, login_token

PASSWORD = "long enough pw"


def _number(owner: int, phone: str = "+14155550188") -> int:
    with session_scope() as s:
        row = UserPhoneNumber(
            user_id=owner,
            workspace_id=membership.personal_workspace_id(session=s, user_id=owner),
            phone_number=phone,
            friendly_name="Front desk",
        )
        s.add(row)
        s.flush()
        return row.id


def _stored():
    with session_scope() as s:
        return [(r.number_id, r.document) for r in s.exec(select(NumberRouting))]


def _tab(email: str, number: int):
    tab = open_tab(RoutingEditorState, login_token(email, PASSWORD), {"number_id": number})
    tab.time_zone = "Europe/Berlin"
    call(tab, "load")
    return tab


def test_hours_and_a_two_key_menu_built_in_the_form(sqlite_db):
    ann = make_user("ann@example.com")
    number = _number(ann)
    tab = _tab("ann@example.com", number)
    assert tab.number_label == "Front desk · +1 (415) 555-0188" and tab.may_edit
    assert tab.summary.startswith("Default") and tab.draft.zone == "Europe/Berlin"
    assert [(m.id, m.name) for m in tab.members] == [(ann, "ann")]

    call(tab, "set_field", "hours_on", True)
    call(tab, "set_choice", "when_open", "kind", "menu")
    call(tab, "set_choice", 0, "kind", "forward")
    call(tab, "set_choice", 0, "phone", "+1 900 555 0100")
    assert tab.draft.options[0].error == "Calls to premium-rate numbers are blocked."
    assert tab.incomplete
    call(tab, "save")
    assert "Nothing was saved" in tab.form_error and _stored() == []

    call(tab, "set_choice", 0, "phone", "(415) 555-0123")
    call(tab, "set_day", "fri", "end", "13:00")
    call(tab, "add_closure", {"closure": "2026-12-25"})
    # The summary follows the form before anything is saved.
    assert tab.summary == (
        "Mon-Thu 9-17, Fri 9-13 Europe/Berlin (closed on 2026-12-25): menu (1: forward to "
        "+1 (415) 555-0123, then voicemail; 2: voicemail; no choice: voicemail); "
        "otherwise: voicemail"
    )
    assert not tab.incomplete and _stored() == []
    call(tab, "save")
    assert tab.form_error == "" and tab.saved and not tab.saving
    [(stored_number, document)] = _stored()
    hours = document["route"][0]
    assert stored_number == number and hours["type"] == "hours"
    assert hours["week"]["fri"] == [{"open": "09:00", "close": "13:00"}]
    assert "sat" not in hours["week"] and hours["closures"] == ["2026-12-25"]
    assert hours["open"][0]["options"]["1"][0]["to"] == "+14155550123"
    assert hours["closed"][0]["type"] == "voicemail"

    again = _tab("ann@example.com", number)  # the saved routing reads back into the form
    assert not again.only_advanced and again.draft.hours_on
    assert [o.key for o in again.draft.options] == ["1", "2"]
    call(again, "use_default")
    assert _stored() == [] and again.summary.startswith("Default")


def test_field_errors_are_in_words_and_nothing_is_saved(sqlite_db):
    ann = make_user("ann@example.com")
    tab = _tab("ann@example.com", _number(ann))
    call(tab, "set_field", "hours_on", True)
    call(tab, "set_day", "mon", "start", "18:00")
    call(tab, "set_choice", "when_open", "kind", "menu")
    call(tab, "set_field", "greeting", "   ")
    call(tab, "set_field", "timeout", "99")
    call(tab, "toggle_member", 0, ann, False)
    call(tab, "save")
    assert tab.draft.days[0].error == "Opening must come before closing."
    assert tab.errors["greeting"] == "Write what callers hear."
    assert tab.errors["timeout"] == "Waiting time is a whole number from 2 to 30."
    assert tab.draft.options[0].error == "Pick at least one member to ring."
    assert _stored() == []


def test_a_forward_that_loops_back_is_named_where_it_is_set(sqlite_db):
    ann = make_user("ann@example.com")
    number, other = _number(ann), _number(ann, "+14155550177")
    with session_scope() as s:
        s.add(NumberRouting(number_id=other, document={"route": [
            {"type": "forward", "to": "+14155550188"}]}))  # fmt: skip
    before = _stored()
    tab = _tab("ann@example.com", number)
    call(tab, "set_choice", "when_open", "kind", "forward")
    call(tab, "set_choice", "when_open", "phone", "415 555 0177")
    assert not tab.incomplete  # only the server, reading the other number, sees the loop
    call(tab, "save")
    assert tab.draft.when_open.error == tab.form_error
    assert "would send calls back to this number" in tab.form_error
    assert _stored() == before and not tab.saving and not tab.saved


def test_odd_arguments_change_nothing(sqlite_db):
    ann = make_user("ann@example.com")
    stranger = make_user("eve@example.com")
    tab = _tab("ann@example.com", _number(ann))
    tab.members = [*tab.members, MemberOption(id=stranger, name="eve")]  # a forged list
    before = (tab.draft, tab.summary)
    for name, args in (
        ("set_field", ("zone", 7)),
        ("set_field", ("number_id", "3")),
        ("set_field", ("hours_on", "yes")),
        ("set_day", ("funday", "start", "09:00")),
        ("set_day", ("mon", "error", "x")),
        ("set_choice", (99, "kind", "ring")),
        ("set_choice", ("when_open", "kind", "conference")),
        ("set_choice", (True, "kind", "forward")),
        ("set_choice", ("when_open", "user_ids", [1])),
        ("toggle_member", ("when_open", stranger, True)),
        ("toggle_member", ("when_open", True, True)),
        ("remove_option", ("0",)),
        ("add_closure", ("2026-12-25",)),
        ("remove_closure", (["x"],)),
    ):
        call(tab, name, *args)
    assert (tab.draft, tab.summary) == before


def test_a_document_the_form_cant_show_stays_in_the_advanced_view(sqlite_db):
    ann = make_user("ann@example.com")
    number = _number(ann)
    tab = _tab("ann@example.com", number)
    call(tab, "set_advanced_text", '{"route": [{"type": "say", "text": "Hi"}, {"type": "hangup"}]}')
    call(tab, "save_advanced")
    assert tab.form_error == "" and tab.only_advanced and tab.advanced
    assert tab.summary == "greeting, then hang up"
    call(tab, "set_advanced_text", "{not json")
    call(tab, "save_advanced")
    assert "valid JSON" in tab.form_error and len(_stored()) == 1


def test_another_user_and_a_plain_member_change_nothing(sqlite_db):
    ann = make_user("ann@example.com")
    number = _number(ann)
    ben = make_user("ben@example.com")
    make_user("bob@example.com")
    with session_scope() as s:
        workspace = membership.personal_workspace_id(session=s, user_id=ann)
        s.add(WorkspaceMember(workspace_id=workspace, user_id=ben))
        s.add(NumberAssignment(number_id=number, user_id=ben))
        s.add(NumberRouting(number_id=number, document={"route": [{"type": "hangup"}]}))
    before = _stored()
    bob = _tab("bob@example.com", number)
    assert bob.number_id == 0 and "isn't one of this workspace's" in bob.load_error
    assert "hang" not in bob.summary + bob.advanced_text
    bob.number_id = number
    call(bob, "set_advanced_text", '{"route": [{"type": "voicemail"}]}')
    for handler in ("save_advanced", "save", "use_default"):
        call(bob, handler)
    assert _stored() == before
    # Ben, assigned to the number, reads its routing but may not change it.
    ben_tab = _tab("ben@example.com", number)
    assert ben_tab.number_id == number and not ben_tab.may_edit
    assert ben_tab.summary == "hang up" and ben_tab.only_advanced
    call(ben_tab, "set_advanced_text", '{"route": [{"type": "voicemail"}]}')
    for handler in ("save_advanced", "save", "use_default"):
        call(ben_tab, handler)
        assert ben_tab.form_error == "Only the workspace's admins can do that."
    assert _stored() == before
