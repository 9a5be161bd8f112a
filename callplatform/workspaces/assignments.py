"""Which members a workspace's number is assigned to: they may call from it and see its
calls. Only the workspace's admins and owners assign; only its members can be assigned."""

from __future__ import annotations

from sqlmodel import Session, col, delete, select

from callplatform.common import audit, ids
from callplatform.common.errors import ValidationError
from callplatform.live import NUMBERS, track
from callplatform.models import NumberAssignment, WorkspaceMember
from callplatform.workspaces.access import Member, require_manager, usable_number

MAX_ASSIGNED = 200


def assigned_members(*, session: Session, member: Member, number_id) -> list[int]:
    """The user ids a number is assigned to, in order."""
    row = usable_number(session=session, member=member, number_id=number_id)
    return list(
        session.exec(
            select(NumberAssignment.user_id)
            .where(NumberAssignment.number_id == row.id)
            .order_by(NumberAssignment.user_id)
        )
    )


def assign_number(*, session: Session, member: Member, number_id, user_ids) -> list[int]:
    """Assign the number to exactly these members (replacing the list); returns it."""
    row = usable_number(session=session, member=member, number_id=number_id)
    require_manager(member)
    if not isinstance(user_ids, list | tuple) or len(user_ids) > MAX_ASSIGNED:
        message = f"Send a list of at most {MAX_ASSIGNED} member ids."
        raise ValidationError(message, field="user_ids")
    wanted = {ids.as_id(value) for value in user_ids}
    if None in wanted:
        raise ValidationError("Member ids are whole numbers.", field="user_ids")
    members = set(
        session.exec(
            select(WorkspaceMember.user_id).where(
                WorkspaceMember.workspace_id == member.workspace_id,
                col(WorkspaceMember.user_id).in_(wanted),
            )
        )
    )
    if wanted - members:
        raise ValidationError("Only members of this workspace can be assigned.", field="user_ids")
    session.exec(delete(NumberAssignment).where(NumberAssignment.number_id == row.id))
    session.add_all(NumberAssignment(number_id=row.id, user_id=uid) for uid in sorted(wanted))
    audit.record(
        session=session,
        action="number.assigned",
        actor_id=member.user_id,
        workspace_id=member.workspace_id,
        number=row.phone_number,
        members=",".join(str(uid) for uid in sorted(wanted)),
    )
    session.flush()
    # Whose numbers changed: the members' open Numbers pages and softphones re-read theirs.
    everyone = select(WorkspaceMember.user_id).where(
        WorkspaceMember.workspace_id == member.workspace_id
    )
    track.announce(session, list(session.exec(everyone)), NUMBERS)
    return sorted(wanted)
