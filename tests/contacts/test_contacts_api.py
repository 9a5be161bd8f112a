"""Contacts over HTTP with tokens: add, list and search, change, export and import
(CSV), delete; in the token's workspace only (another's contact is 404), and deleting
is refused (403) to a member who neither manages the workspace nor added the contact."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from callplatform.accounts import api_tokens, rate_limit
from callplatform.db import session_scope
from callplatform.models import ApiToken


def _client(base: str, member) -> httpx.Client:
    with session_scope() as s:
        token, raw = api_tokens.create_token(session=s, owner_id=member.user_id, name="api")
        s.get(ApiToken, token.id).workspace_id = member.workspace_id
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {raw}"}, timeout=20)


@pytest.fixture
def clients(people, live_api):
    rate_limit.reset()
    made = {name: _client(live_api, m) for name, m in people.items()}
    yield made
    for client in made.values():
        client.close()


def test_contacts_over_the_api(clients):
    mia, max_, olga, bob = (clients[n] for n in ("mia", "max", "olga", "bob"))
    made = mia.post(
        "/api/contacts",
        json={"name": "Ada", "company": "Engines", "numbers": [{"number": "415 555 0100"}]},
    )
    assert made.status_code == 201, made.text
    ada = made.json()
    assert ada["numbers"] == [
        {"number": "+14155550100", "display": "+1 (415) 555-0100", "label": ""}
    ]
    assert [c["name"] for c in max_.get("/api/contacts", params={"q": "4155"}).json()] == ["Ada"]
    again = max_.post("/api/contacts", json={"name": "X", "numbers": [{"number": "4155550100"}]})
    assert again.status_code == 422 and again.json()["error"]["field"] == "numbers"
    changed = max_.patch(f"/api/contacts/{ada['id']}", json={"notes": "likes tea"})
    assert changed.json()["notes"] == "likes tea" and changed.json()["name"] == "Ada"
    assert not changed.json()["may_delete"]

    for method in ("GET", "PATCH", "DELETE"):
        refused = bob.request(method, f"/api/contacts/{ada['id']}", json={"name": "mine"})
        assert refused.status_code == 404 and "Ada" not in refused.text
    assert (
        bob.get("/api/contacts").json() == [] and "Ada" not in bob.get("/api/contacts/export").text
    )

    assert max_.delete(f"/api/contacts/{ada['id']}").status_code == 403
    exported = olga.get("/api/contacts/export")
    assert exported.headers["content-type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(exported.text)))[1] == [
        "Ada", "Engines", "+14155550100", "likes tea"
    ]  # fmt: skip
    imported = bob.post("/api/contacts/import", json={"text": exported.text + "Bad,,12,\n"})
    assert imported.json() == {
        "created": 1,
        "merged": 0,
        "errors": [{"line": 3, "message": "“12” has the wrong number of digits."}],
    }
    assert olga.delete(f"/api/contacts/{ada['id']}").status_code == 204
    assert mia.get(f"/api/contacts/{ada['id']}").status_code == 404
    assert [c["name"] for c in bob.get("/api/contacts").json()] == ["Ada"]


def test_a_file_without_columns_is_422(clients):
    refused = clients["mia"].post("/api/contacts/import", json={"text": "hello\nworld\n"})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "file"
