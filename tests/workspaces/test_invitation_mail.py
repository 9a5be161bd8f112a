"""The invitation's email, through a real SMTP server on a loopback port (aiosmtpd):
what arrives, to whom, with the link that joins; a login when the URL names one; and a
server that can't be reached leaves the invitation valid and says so."""

from __future__ import annotations

import pytest

from callplatform import config
from callplatform.db import read_scope, session_scope
from callplatform.models import User
from callplatform.workspaces import invitation_mail, invitations, joining
from tests.helpers import free_port
from tests.smtp_server import Inbox, smtp_server
from tests.workspaces.team_helpers import MEMBER, as_member, role_of, shared, users


def _smtp(monkeypatch, url: str, sender: str = "") -> None:
    monkeypatch.setenv("SMTP_URL", url)
    monkeypatch.setenv("SMTP_FROM", sender)
    config.reset_settings()


def _invite(owner: int, workspace: int, email: str) -> invitations.Invited:
    with session_scope() as s:
        return invitations.invite(session=s, member=as_member(owner, workspace), email=email)


def test_the_mail_arrives_with_the_link_that_joins(db_url, monkeypatch):
    ann, new = users("ann", "new")
    with session_scope() as s:
        s.get(User, ann).display_name = "Ann Lee"
    sales = shared(ann, "Sales East")
    with smtp_server() as (url, inbox):
        _smtp(monkeypatch, url, "CallPlatform <team@example.com>")
        invited = _invite(ann, sales, "new@example.com")
        assert invitation_mail.send(invited) == ""
        mail = inbox.mail_to("new@example.com")
    assert inbox.envelopes == [("team@example.com", ["new@example.com"])]
    assert mail["Subject"] == "Ann Lee invited you to Sales East on CallPlatform"
    assert Inbox.link_in(mail) == invited.link
    with session_scope() as s:
        joining.accept(session=s, user=s.get(User, new), token=invited.link.split("/")[-1])
    assert role_of(new, sales) is MEMBER


def test_the_server_is_logged_in_to_when_the_url_names_a_user(sqlite_db, monkeypatch):
    (ann,) = users("ann")
    sales = shared(ann)
    with smtp_server(login=("mailer", "s3cret pass")) as (url, inbox):
        _smtp(monkeypatch, url.replace("s3cret pass", "s3cret%20pass"))
        assert invitation_mail.send(_invite(ann, sales, "new@example.com")) == ""
        inbox.mail_to("new@example.com")
        assert inbox.logins == ["mailer"]
        _smtp(monkeypatch, url.replace("s3cret pass", "wrong"))
        problem = invitation_mail.send(_invite(ann, sales, "two@example.com"))
    assert "could not be sent" in problem


def test_an_unreachable_server_leaves_the_invitation_valid(sqlite_db, monkeypatch):
    (ann,) = users("ann")
    sales = shared(ann)
    _smtp(monkeypatch, f"smtp://127.0.0.1:{free_port()}")  # nobody listens there
    invited = _invite(ann, sales, "new@example.com")
    assert "could not be sent" in invitation_mail.send(invited)
    with read_scope() as s:
        assert joining.offer(session=s, token=invited.link.split("/")[-1]) is not None


def test_without_smtp_nothing_is_sent(sqlite_db, monkeypatch):
    (ann,) = users("ann")
    _smtp(monkeypatch, "")
    assert not invitation_mail.configured()
    assert invitation_mail.send(_invite(ann, shared(ann), "new@example.com")) == ""


@pytest.mark.parametrize("url", ["http://mail.example.com", "smtp://", "smtp://host:port"])
def test_a_mistyped_smtp_url_stops_the_app(monkeypatch, url):
    monkeypatch.setenv("SMTP_URL", url)
    config.reset_settings()
    with pytest.raises(ValueError):
        config.get_settings()
    monkeypatch.delenv("SMTP_URL")
    config.reset_settings()
