"""A workspace's Activity: what happened in it, in words, for its admins and owners
only, and nothing of another workspace's."""

from __future__ import annotations

import pytest

from callplatform.common.errors import PermissionDenied
from callplatform.db import read_scope, session_scope
from callplatform.workspaces import activity, invitations
from tests.workspaces.team_helpers import ADMIN, MEMBER, as_member, shared, users


def test_admins_read_their_workspaces_activity_in_words(db_url):
    ann, ben, cy, dot = users("ann", "ben", "cy", "dot")
    sales = shared(ann, "Sales", ben=(ben, ADMIN), cy=(cy, MEMBER))
    support = shared(dot, "Support")
    with session_scope() as s:
        invitations.invite(session=s, member=as_member(ben, sales), email="eve@example.com")
        invitations.invite(session=s, member=as_member(dot, support), email="fay@example.com")
    with read_scope() as s:
        for who in (ann, ben):
            entries = activity.workspace_activity(session=s, member=as_member(who, sales))
            sentences = [e.sentence for e in entries]
            assert "ben@example.com invited eve@example.com to “Sales” as member" in sentences
            assert not [line for line in sentences if "fay@" in line or "Support" in line]
            assert entries[0].action == "invitation.created"  # newest first
        with pytest.raises(PermissionDenied):
            activity.workspace_activity(session=s, member=as_member(cy, sales))


def test_the_api_shows_a_workspaces_activity_to_its_admins_only(db_url):
    from fastapi.testclient import TestClient

    from callplatform.api.app import build_api

    ann, cy = users("ann", "cy")
    sales = shared(ann, "Sales", cy=(cy, MEMBER))
    with session_scope() as s:
        invitations.invite(session=s, member=as_member(ann, sales), email="eve@example.com")
    client = TestClient(build_api())
    for email, status in (("ann@example.com", 200), ("cy@example.com", 403)):
        login = client.post("/api/auth/token", json={"email": email, "password": "long enough pw"})
        token = login.json()["access_token"]
        got = client.get(
            f"/api/workspaces/{sales}/activity", headers={"Authorization": f"Bearer {token}"}
        )
        assert got.status_code == status, got.text
        if status == 200:
            assert "invited eve@example.com" in got.text
