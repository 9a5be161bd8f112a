"""What the Team page's handlers run in a worker thread: each opens its own unit of work
and calls the services with the acting member the handler resolved on the server."""

from __future__ import annotations

from callplatform.accounts import login_workspace
from callplatform.db import read_scope, session_scope
from callplatform.live import WORKSPACE, track
from callplatform.workspaces import invitation_mail, invitations, shared, team
from callplatform.workspaces.access import Member


def invite(member: Member, email, role) -> tuple[invitations.Invited, str]:
    """The invitation (committed), then its mail: "" if sent (or no SMTP), else why not."""
    with session_scope() as session:
        invited = invitations.invite(session=session, member=member, email=email, role=role)
    return invited, invitation_mail.send(invited)


def sent_note(email: str) -> str:
    if invitation_mail.configured():
        return f"We emailed an invitation to {email}. You can also send them the link."
    return f"Send this link to {email}: email isn't set up on this server."


def link_of(member: Member, invitation_id) -> str:
    with read_scope() as session:
        return invitations.link_of(session=session, member=member, invitation_id=invitation_id)


def revoke(member: Member, invitation_id) -> None:
    with session_scope() as session:
        invitations.revoke(session=session, member=member, invitation_id=invitation_id)


def change_role(member: Member, user_id, role) -> team.TeamMember:
    with session_scope() as session:
        return team.change_role(session=session, member=member, user_id=user_id, role=role)


def remove(member: Member, user_id) -> None:
    with session_scope() as session:
        team.remove_member(session=session, member=member, user_id=user_id)


def create_and_switch(token: str, user_id: int, name) -> int:
    """A new workspace, which this login then acts in."""
    with session_scope() as session:
        made = shared.create_workspace(session=session, user_id=user_id, name=name)
        login_workspace.switch(session=session, token=token, user_id=user_id, workspace_id=made.id)
        track.announce(session, [user_id], WORKSPACE)  # the login's other tabs follow
        return made.id
