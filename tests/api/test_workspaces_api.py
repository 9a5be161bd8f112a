"""Workspaces over the public API: listing, creating, members (roles, removal) and
invitations (mailed through a real SMTP server, revoked, accepted), with the same rules
as the services; a workspace the caller is not in is 404, and an API token reaches only
the workspace it was made in."""

from __future__ import annotations

from contextlib import closing

import pytest

from callplatform import config
from callplatform.accounts import api_tokens, rate_limit
from callplatform.db import session_scope
from tests.api.public_api import client_for
from tests.smtp_server import Inbox, smtp_server
from tests.workspaces.team_helpers import ADMIN, MEMBER, personal, role_of, shared, users


@pytest.fixture
def base(db_url, live_api, monkeypatch):
    monkeypatch.setenv("API_REQUESTS_PER_MINUTE", "100000")
    monkeypatch.setenv("SMTP_URL", "")
    config.reset_settings()
    rate_limit.reset()
    yield live_api
    rate_limit.reset()


def _api_token(user_id: int, workspace_id: int) -> str:
    with session_scope() as s:
        row, raw = api_tokens.create_token(session=s, owner_id=user_id, name="script")
        row.workspace_id = workspace_id
        s.add(row)
    return raw


def test_workspaces_are_listed_and_made(base):
    (ann,) = users("ann")
    sales = shared(ann)
    with closing(client_for(base, "ann@example.com")) as api:
        listed = api.get("/api/workspaces").json()["workspaces"]
        assert [(w["id"], w["role"], w["personal"], w["current"]) for w in listed] == [
            (personal(ann), "owner", True, True),
            (sales, "owner", False, False),
        ]
        made = api.post("/api/workspaces", json={"name": "Support"})
        assert made.status_code == 201 and made.json()["name"] == "Support"
        bad = api.post("/api/workspaces", json={"name": " "})
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "name"
    with client_for(base, token=_api_token(ann, sales)) as script:
        assert [w["id"] for w in script.get("/api/workspaces").json()["workspaces"]] == [sales]


def test_members_and_their_roles(base):
    ann, ben, cat = users("ann", "ben", "cat")
    sales = shared(ann, ben=(ben, MEMBER), cat=(cat, MEMBER))
    with closing(client_for(base, "ben@example.com")) as ben_api:
        members = ben_api.get(f"/api/workspaces/{sales}/members").json()["members"]
        assert [m["email"] for m in members][0] == "ann@example.com"
        refused = ben_api.patch(f"/api/workspaces/{sales}/members/{cat}", json={"role": "admin"})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
        assert ben_api.delete(f"/api/workspaces/{sales}/members/{cat}").status_code == 403
    with closing(client_for(base, "ann@example.com")) as ann_api:
        made = ann_api.patch(f"/api/workspaces/{sales}/members/{ben}", json={"role": "admin"})
        assert made.status_code == 200 and made.json()["role"] == "admin"
        last = ann_api.patch(f"/api/workspaces/{sales}/members/{ann}", json={"role": "member"})
        assert last.status_code == 422  # the only owner
        assert ann_api.delete(f"/api/workspaces/{sales}/members/{cat}").status_code == 204
    assert (role_of(ben, sales), role_of(cat, sales)) == (ADMIN, None)


def test_a_workspace_one_is_not_in_is_not_found(base):
    ann, eve = users("ann", "eve")
    sales = shared(ann)
    theirs = shared(eve, "Theirs")
    with closing(client_for(base, "ann@example.com")) as api:
        for path in (
            f"/api/workspaces/{theirs}/members",
            f"/api/workspaces/{theirs}/invitations",
            f"/api/workspaces/{theirs + 100}/members",
        ):
            assert api.get(path).status_code == 404, path
        assert api.delete(f"/api/workspaces/{theirs}/members/{eve}").status_code == 404
        assert api.delete(f"/api/workspaces/{sales}/members/{eve}").status_code == 404
        invite = api.post(f"/api/workspaces/{theirs}/invitations", json={"email": "x@example.com"})
        assert invite.status_code == 404
    # A token made in Ann's own workspace doesn't reach Sales, where Ann is owner too.
    with client_for(base, token=_api_token(ann, personal(ann))) as script:
        assert script.get(f"/api/workspaces/{sales}/members").status_code == 404
    with closing(client_for(base)) as anonymous:
        assert anonymous.get(f"/api/workspaces/{sales}/members").status_code == 401
    assert role_of(eve, theirs) is not None


def test_removal_ends_a_members_token_at_once(base):
    ann, ben = users("ann", "ben")
    sales = shared(ann, ben=(ben, MEMBER))
    with client_for(base, token=_api_token(ben, sales)) as script:
        assert script.get(f"/api/workspaces/{sales}/members").status_code == 200
        with closing(client_for(base, "ann@example.com")) as ann_api:
            assert ann_api.delete(f"/api/workspaces/{sales}/members/{ben}").status_code == 204
        assert script.get(f"/api/workspaces/{sales}/members").status_code == 401
        assert script.get("/api/workspaces").status_code == 401


def test_invitations_are_mailed_listed_revoked_and_accepted(base, monkeypatch):
    ann, ben, new = users("ann", "ben", "new")
    sales = shared(ann, ben=(ben, MEMBER))
    invitations = f"/api/workspaces/{sales}/invitations"
    with closing(client_for(base, "ben@example.com")) as ben_api:
        refused = ben_api.post(invitations, json={"email": "new@example.com"})
        assert refused.status_code == 403
        assert ben_api.get(invitations).status_code == 403
    with smtp_server() as (url, inbox), closing(client_for(base, "ann@example.com")) as api:
        monkeypatch.setenv("SMTP_URL", url)
        config.reset_settings()
        first = api.post(invitations, json={"email": "new@example.com", "role": "admin"})
        assert first.status_code == 201, first.text
        assert first.json()["mail"] == "sent"
        assert Inbox.link_in(inbox.mail_to("new@example.com")) == first.json()["link"]
        owner = api.post(invitations, json={"email": "x@example.com", "role": "owner"})
        assert owner.status_code == 422
        pending = api.get(invitations).json()["invitations"]
        assert [(i["email"], i["role"]) for i in pending] == [("new@example.com", "admin")]
        assert api.delete(f"{invitations}/{first.json()['id']}").status_code == 204
        assert api.delete(f"{invitations}/{first.json()['id']}").status_code == 404
        second = api.post(invitations, json={"email": "new@example.com"}).json()
    with closing(client_for(base, "new@example.com")) as new_api:
        dead = new_api.post("/api/invitations/accept", json={"token": _token(first.json())})
        assert dead.status_code == 404
        joined = new_api.post("/api/invitations/accept", json={"token": _token(second)})
        assert joined.status_code == 200 and joined.json()["id"] == sales
        assert joined.json()["role"] == "member"
    assert role_of(new, sales) is MEMBER


def test_the_link_is_given_when_no_mail_goes_out(base):
    (ann,) = users("ann")
    sales = shared(ann)
    with closing(client_for(base, "ann@example.com")) as api:
        invited = api.post(f"/api/workspaces/{sales}/invitations", json={"email": "n@example.com"})
    assert invited.json()["mail"] == "off" and "/invite/" in invited.json()["link"]


def _token(invited: dict) -> str:
    return invited["link"].rsplit("/", 1)[1]
