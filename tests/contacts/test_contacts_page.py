"""The Contacts page's handlers as a tab calls them: a call's "Add to contacts" opens
the form on its number (or on the contact that number already names), saving shows
the service's refusal in the form, edit and delete go through the services' checks,
an upload imports (and says what it skipped), the export is a download."""

from __future__ import annotations

import pytest

from callplatform.accounts import auth
from callplatform.db import session_scope
from callplatform.pages.contacts.state import ContactsState
from tests.state.exposure import events_text, open_tab, run
from tests.state.harness import login_token

PASSWORD = "long enough pw"


class _Upload:
    def __init__(self, data: bytes):
        self.data = data

    async def read(self, size: int = -1) -> bytes:
        return self.data[:size] if size >= 0 else self.data


@pytest.fixture
def tab(sqlite_db):
    with session_scope() as s:
        for email in ("ann@example.com", "bob@example.com"):
            auth.create_user(session=s, email=email, password=PASSWORD)

    def open_as(email: str = "ann@example.com", **params):
        return open_tab(ContactsState, login_token(email, PASSWORD), params)

    return open_as


def _save(state, **fields):
    form = {"name": "", "company": "", "numbers": "", "notes": ""} | fields
    return run(state, "save", [form])


def test_add_from_a_call_then_edit_and_delete(tab):
    page = tab(add="+12125550188")
    run(page, "load", [])
    assert page.editing and page.edit_id == 0 and page.form_numbers == "+12125550188"
    assert page.rows == []
    _save(page, name="", numbers="+12125550188")
    assert page.editing and page.form_error == "Enter a name."
    _save(page, name="Ada", company="Engines", numbers="+12125550188 (cell)\n718 555 0166")
    assert not page.editing and [(r.name, r.numbers) for r in page.rows] == [
        ("Ada", "+1 (212) 555-0188 (cell) · +1 (718) 555-0166")
    ]
    again = tab(add="2125550188")  # already Ada's: the form edits her
    run(again, "load", [])
    assert again.edit_id == page.rows[0].id and again.form_name == "Ada"
    assert again.form_numbers == "+12125550188 (cell)\n+17185550166"
    _save(again, name="Ada King", numbers="+12125550188")
    run(page, "set_search", ["king"])
    assert [r.name for r in page.rows] == ["Ada King"]
    run(page, "ask_delete", [page.rows[0].id])
    assert page.delete_name == "Ada King"
    run(page, "confirm_delete", [])
    assert page.rows == [] and page.delete_id == 0


def test_another_workspaces_contact_cannot_be_opened(tab):
    ann = tab()
    _save(ann, name="Ada", numbers="+12125550188")
    ada = ann.rows[0].id
    bob = tab("bob@example.com")
    for handler in ("start_edit", "ask_delete"):
        outcome = run(bob, handler, [ada])
        assert "Ada" not in events_text(outcome) and not bob.editing and bob.delete_id == 0
    bob.delete_id = ada  # a var the client can set
    run(bob, "confirm_delete", [])
    bob.edit_id, bob.editing = ada, True
    _save(bob, name="Taken")
    assert bob.form_error == "That contact isn't one of this workspace's."
    run(ann, "load", [])
    assert [r.name for r in ann.rows] == ["Ada"]


def test_import_and_export(tab):
    page = tab()
    upload = _Upload(b"name,phone\nAda,+12125550188\nBad,12\nAda again,212 555 0188\n")
    run(page, "import_file", [[upload]])
    assert page.import_summary == "1 added, 1 merged into contacts with the same number, 1 skipped:"
    assert page.import_errors == ["Line 3: “12” has the wrong number of digits."]
    run(page, "import_file", [[_Upload(b"colour\nred\n")]])
    assert "name the columns" in page.import_summary and page.import_errors == []
    exported = events_text(run(page, "export_csv", []))
    assert "contacts.csv" in exported and "+12125550188" in exported
