"""What the Team page shows of each member and invitation, read for the acting member.
`editable` and `removable` only decide which buttons are offered: the services decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from callplatform.db import read_scope
from callplatform.models import WorkspaceMember, WorkspaceRole
from callplatform.workspaces import access, invitations, team


@dataclass
class MemberRow:
    user_id: int = 0
    name: str = ""
    email: str = ""
    role: str = ""
    joined_at: datetime | None = None
    is_me: bool = False
    editable: bool = False  # the viewer may offer a role change (the server decides)
    removable: bool = False  # ... a "Remove" (or, on their own row, "Leave")
    cap: str = ""  # their own monthly cap ("" none), shown to admins and owners only


@dataclass
class InviteRow:
    id: int = 0
    email: str = ""
    role: str = ""
    expires_at: datetime | None = None


def read(member: access.Member) -> tuple[list[team.TeamMember], list, str, dict[int, str]]:
    """(the members, the invitations waiting, the workspace's name, the members' caps);
    invitations and caps are for admins and owners only."""
    with read_scope() as session:
        people = team.list_members(session=session, member=member)
        waiting = invitations.pending(session=session, member=member) if member.manages else []
        caps = _caps(session, member.workspace_id) if member.manages else {}
        return people, waiting, team.workspace_name(session, member.workspace_id), caps


def _caps(session: Session, workspace_id: int) -> dict[int, str]:
    rows = session.exec(
        select(WorkspaceMember.user_id, WorkspaceMember.monthly_cap).where(
            WorkspaceMember.workspace_id == workspace_id,
            col(WorkspaceMember.monthly_cap).is_not(None),
        )
    )
    return {user_id: f"${cap:,.2f}" for user_id, cap in rows}


def member_row(m: team.TeamMember, viewer: access.Member, owners: int, cap: str = "") -> MemberRow:
    owner_viewing = viewer.role is WorkspaceRole.OWNER
    me = m.user_id == viewer.user_id
    touches_owner = m.role is WorkspaceRole.OWNER and not owner_viewing
    last_owner = m.role is WorkspaceRole.OWNER and owners <= 1
    return MemberRow(
        user_id=m.user_id,
        name=m.name,
        email=m.email,
        role=m.role.value,
        joined_at=m.joined_at,
        is_me=me,
        editable=viewer.manages and not touches_owner and not last_owner,
        removable=not last_owner and (me or (viewer.manages and not touches_owner)),
        cap=cap if viewer.manages else "",
    )
