"""Workspaces over the API: the caller's workspaces, a new shared one, its members
(list, change a role, remove) and invitations (list, invite, revoke, accept). The same
services, so the same rules, as the Team page. A workspace the caller is not in is 404."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from callplatform.api import schemas_workspaces as shapes
from callplatform.api.deps import current_member, current_user, is_api_token, member_in
from callplatform.api.errors import ERROR_RESPONSES
from callplatform.api.schemas import ErrorResponse, PathId
from callplatform.db import read_scope, session_scope
from callplatform.models import User
from callplatform.workspaces import (
    activity,
    invitation_mail,
    invitations,
    joining,
    membership,
    shared,
    team,
)
from callplatform.workspaces.access import Member

FORBIDDEN = {403: {"model": ErrorResponse, "description": "Your role does not allow it."}}
router = APIRouter(prefix="/api", tags=["workspaces"], responses={**ERROR_RESPONSES, **FORBIDDEN})
MEMBERS = "/workspaces/{workspace_id}/members"
INVITATIONS = "/workspaces/{workspace_id}/invitations"


@router.get("/workspaces", response_model=shapes.WorkspaceList)
def list_workspaces(
    user: User = Depends(current_user),
    acting: Member = Depends(current_member),
    token: bool = Depends(is_api_token),
) -> shapes.WorkspaceList:
    """The workspaces you belong to (an API token: only its own), your personal one first."""
    with read_scope() as session:
        belongs = membership.workspaces_of(session=session, user_id=user.id)
    return shapes.WorkspaceList(
        workspaces=[
            shapes.Workspace(
                id=b.workspace_id,
                name=b.name,
                role=b.role.value,
                personal=b.personal,
                current=b.workspace_id == acting.workspace_id,
            )
            for b in belongs
            if not token or b.workspace_id == acting.workspace_id
        ]
    )


@router.post("/workspaces", status_code=201, response_model=shapes.Workspace)
def create_workspace(
    body: shapes.CreateWorkspaceRequest, user: User = Depends(current_user)
) -> shapes.Workspace:
    """A new shared workspace, with you as its owner."""
    with session_scope() as session:
        made = shared.create_workspace(session=session, user_id=user.id, name=body.name)
        made_id, name = made.id, made.name
    return shapes.Workspace(id=made_id, name=name, role="owner", personal=False, current=False)


def _member_view(m: team.TeamMember) -> shapes.Member:
    return shapes.Member(
        user_id=m.user_id, name=m.name, email=m.email, role=m.role.value, joined_at=m.joined_at
    )


@router.get(MEMBERS, response_model=shapes.MemberList)
def list_members(member: Member = Depends(member_in)) -> shapes.MemberList:
    """Everyone in the workspace, owners first."""
    with read_scope() as session:
        rows = team.list_members(session=session, member=member)
    return shapes.MemberList(members=[_member_view(m) for m in rows])


@router.patch(MEMBERS + "/{user_id}", response_model=shapes.Member)
def change_role(
    user_id: PathId, body: shapes.ChangeRoleRequest, member: Member = Depends(member_in)
) -> shapes.Member:
    """Admins and owners change roles; only an owner makes or unmakes owners."""
    with session_scope() as session:
        changed = team.change_role(session=session, member=member, user_id=user_id, role=body.role)
    return _member_view(changed)


@router.delete(MEMBERS + "/{user_id}", status_code=204)
def remove_member(user_id: PathId, member: Member = Depends(member_in)) -> Response:
    """Remove a member (or leave, with your own id): their access ends at once."""
    with session_scope() as session:
        team.remove_member(session=session, member=member, user_id=user_id)
    return Response(status_code=204)


@router.get(INVITATIONS, response_model=shapes.InvitationList)
def list_invitations(member: Member = Depends(member_in)) -> shapes.InvitationList:
    """Invitations still waiting to be accepted (admins and owners)."""
    with read_scope() as session:
        rows = invitations.pending(session=session, member=member)
    return shapes.InvitationList(
        invitations=[
            shapes.Invitation(
                id=r.id,
                email=r.email,
                role=r.role.value,
                created_at=r.created_at,
                expires_at=r.expires_at,
            )
            for r in rows
        ]
    )


@router.post(INVITATIONS, status_code=201, response_model=shapes.Invited)
def invite(body: shapes.InviteRequest, member: Member = Depends(member_in)) -> shapes.Invited:
    """Invite someone by email; mailed when the server has SMTP, and the link is yours
    to send either way."""
    with session_scope() as session:
        invited = invitations.invite(
            session=session, member=member, email=body.email, role=body.role
        )
    problem = invitation_mail.send(invited)  # after the commit, outside the transaction
    mail = "off" if not invitation_mail.configured() else "failed" if problem else "sent"
    return shapes.Invited(
        id=invited.id, email=invited.email, link=invited.link, mail=mail, mail_error=problem
    )


@router.delete(INVITATIONS + "/{invitation_id}", status_code=204)
def revoke_invitation(invitation_id: PathId, member: Member = Depends(member_in)) -> Response:
    """Withdraw a pending invitation: its link stops working."""
    with session_scope() as session:
        invitations.revoke(session=session, member=member, invitation_id=invitation_id)
    return Response(status_code=204)


@router.post("/invitations/accept", response_model=shapes.Workspace)
def accept_invitation(
    body: shapes.AcceptRequest, user: User = Depends(current_user)
) -> shapes.Workspace:
    """Join the workspace an invitation to your email offers."""
    with session_scope() as session:
        joined = joining.accept(session=session, user=user, token=body.token)
        belongs = membership.workspaces_of(session=session, user_id=user.id)
    b = next(b for b in belongs if b.workspace_id == joined)
    return shapes.Workspace(
        id=b.workspace_id, name=b.name, role=b.role.value, personal=b.personal, current=False
    )


@router.get("/workspaces/{workspace_id}/activity", response_model=shapes.Activity)
def workspace_activity(member: Member = Depends(member_in)) -> shapes.Activity:
    """The workspace's audit log, newest first (admins and owners)."""
    with read_scope() as session:
        entries = activity.workspace_activity(session=session, member=member)
    return shapes.Activity(
        entries=[
            shapes.ActivityEntry(at=e.at, action=e.action, actor=e.actor, sentence=e.sentence)
            for e in entries
        ]
    )
