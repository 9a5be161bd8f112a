"""Invitations: only managers invite, by a valid email, as member or admin; the link is
single use, expires, can be revoked, is replaced by a new invitation to the same email,
and joins only the user whose email it names. The database never holds the link."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlmodel import select

from callplatform.common.errors import NotFound, PermissionDenied, ValidationError
from callplatform.db import read_scope, session_scope
from callplatform.models import Invitation, User
from callplatform.models.base import utcnow
from callplatform.workspaces import invitations, joining
from tests.workspaces.team_helpers import ADMIN, MEMBER, as_member, role_of, shared, users


def _invite(actor: int, workspace: int, email: str, role="member") -> invitations.Invited:
    with session_scope() as s:
        return invitations.invite(
            session=s, member=as_member(actor, workspace), email=email, role=role
        )


def _token(invited: invitations.Invited) -> str:
    return invited.link.rsplit("/", 1)[1]


def _accept(user_id: int, token: str) -> int:
    with session_scope() as s:
        return joining.accept(session=s, user=s.get(User, user_id), token=token)


def _offer(token: str):
    with read_scope() as s:
        return joining.offer(session=s, token=token)


def test_only_managers_invite(db_url):
    ann, ben, cat = users("ann", "ben", "cat")
    sales = shared(ann, ben=(ben, MEMBER), cat=(cat, ADMIN))
    with pytest.raises(PermissionDenied):
        _invite(ben, sales, "new@example.com")
    assert _invite(cat, sales, "new@example.com", "admin").email == "new@example.com"
    with read_scope() as s:
        assert [i.email for i in s.exec(select(Invitation))] == ["new@example.com"]


def test_what_an_invitation_may_say(db_url):
    ann, ben = users("ann", "ben")
    sales = shared(ann, ben=(ben, MEMBER))
    for email in ("", "not an email", "a\x00@example.com", "x" * 250 + "@example.com"):
        with pytest.raises(ValidationError):
            _invite(ann, sales, email)
    for role in ("owner", "root", None):
        with pytest.raises(ValidationError):
            _invite(ann, sales, "new@example.com", role)
    with pytest.raises(ValidationError):
        _invite(ann, sales, " Ben@Example.com ")  # already in
    assert _invite(ann, sales, " New@Example.COM ").email == "new@example.com"


def test_the_database_holds_no_link(db_url):
    (ann,) = users("ann")
    sales = shared(ann)
    invited = _invite(ann, sales, "new@example.com")
    token = _token(invited)
    assert invited.link.endswith(f"/invite/{token}") and len(token) == 43
    with read_scope() as s:
        row = s.exec(select(Invitation)).one()
        assert token not in repr([getattr(row, c.name) for c in Invitation.__table__.columns])
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert timedelta(days=6, hours=23) < row.expires_at - utcnow() <= timedelta(days=7)
        # The inviter can copy the same link while it waits.
        assert invitations.link_of(session=s, member=as_member(ann, sales), invitation_id=row.id)
        copied = invitations.link_of(
            session=s, member=as_member(ann, sales), invitation_id=str(row.id)
        )
    assert copied == invited.link


def test_the_link_joins_the_invited_email_once(db_url):
    ann, new, other = users("ann", "new", "other")
    sales = shared(ann)
    token = _token(_invite(ann, sales, "new@example.com", "admin"))
    offer = _offer(token)
    assert (offer.workspace, offer.inviter, offer.email, offer.role) == (
        "Sales",
        "ann@example.com",
        "new@example.com",
        ADMIN,
    )
    with pytest.raises(PermissionDenied):
        _accept(other, token)  # someone else holding the link
    assert role_of(other, sales) is None
    assert _accept(new, token) == sales
    assert role_of(new, sales) is ADMIN
    with pytest.raises(NotFound):
        _accept(new, token)  # used up
    assert _offer(token) is None


def test_links_that_open_nothing(db_url):
    ann, new = users("ann", "new")
    sales = shared(ann)
    expired = _token(_invite(ann, sales, "new@example.com"))
    with session_scope() as s:
        row = s.exec(select(Invitation)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        s.add(row)
    for token in (expired, "", "x" * 43, "../../etc", None, 10**40, "a" * 10_000):
        assert _offer(token) is None
        with pytest.raises(NotFound):
            _accept(new, token)
    assert role_of(new, sales) is None


def test_a_revoked_link_is_dead_and_only_managers_revoke(db_url):
    ann, ben, new, eve = users("ann", "ben", "new", "eve")
    sales = shared(ann, ben=(ben, MEMBER))
    theirs = shared(eve, "Theirs")
    invited = _invite(ann, sales, "new@example.com")
    with pytest.raises(PermissionDenied), session_scope() as s:
        invitations.revoke(session=s, member=as_member(ben, sales), invitation_id=invited.id)
    with pytest.raises(NotFound), session_scope() as s:  # from another workspace
        invitations.revoke(session=s, member=as_member(eve, theirs), invitation_id=invited.id)
    with pytest.raises(NotFound), read_scope() as s:
        invitations.link_of(session=s, member=as_member(eve, theirs), invitation_id=invited.id)
    assert _offer(_token(invited)) is not None
    with session_scope() as s:
        invitations.revoke(session=s, member=as_member(ann, sales), invitation_id=invited.id)
    with pytest.raises(NotFound):
        _accept(new, _token(invited))
    with read_scope() as s:
        assert invitations.pending(session=s, member=as_member(ann, sales)) == []


def test_a_new_invitation_replaces_the_pending_one(db_url):
    ann, new = users("ann", "new")
    sales = shared(ann)
    first = _invite(ann, sales, "new@example.com", "admin")
    second = _invite(ann, sales, "new@example.com", "member")
    with read_scope() as s:
        waiting = invitations.pending(session=s, member=as_member(ann, sales))
    assert [(p.id, p.role) for p in waiting] == [(second.id, MEMBER)]
    assert _offer(_token(first)) is None
    _accept(new, _token(second))
    assert role_of(new, sales) is MEMBER


def test_only_managers_see_pending_invitations(db_url):
    ann, ben = users("ann", "ben")
    sales = shared(ann, ben=(ben, MEMBER))
    _invite(ann, sales, "new@example.com")
    with pytest.raises(PermissionDenied), read_scope() as s:
        invitations.pending(session=s, member=as_member(ben, sales))


def test_accepting_into_a_workspace_one_is_in_keeps_the_role(db_url):
    ann, ben = users("ann", "ben")
    sales = shared(ann, ben=(ben, MEMBER))
    token = _token(_invite(ann, sales, "ben2@example.com"))
    with session_scope() as s:  # Ben changed his email to the invited one meanwhile
        s.get(User, ben).email = "ben2@example.com"
    _accept(ben, token)
    assert role_of(ben, sales) is MEMBER
