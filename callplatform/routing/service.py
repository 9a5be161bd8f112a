"""A number's routing for the people of its workspace: everyone who may use the number
may read it (and its summary); only the workspace's admins and owners change it."""

from __future__ import annotations

from sqlmodel import Session, col, select

from callplatform.common import audit
from callplatform.models import NumberRouting, User
from callplatform.models.base import utcnow
from callplatform.routing import summary, validation
from callplatform.routing.document import Ring as RingStep
from callplatform.routing.document import RoutingDocument, walk
from callplatform.workspaces.access import Member, require_manager, usable_number


def _row(session: Session, number_id: int) -> NumberRouting | None:
    return session.exec(select(NumberRouting).where(NumberRouting.number_id == number_id)).first()


def get_routing(*, session: Session, member: Member, number_id) -> RoutingDocument | None:
    """The number's routing, or None when it keeps the default (ring, then voicemail)."""
    number = usable_number(session=session, member=member, number_id=number_id)
    row = _row(session, number.id)
    return RoutingDocument.model_validate(row.document) if row else None


def save_routing(*, session: Session, member: Member, number_id, document) -> RoutingDocument:
    """Validate and store the number's routing (replacing any); returns it as stored."""
    number = usable_number(session=session, member=member, number_id=number_id)
    require_manager(member)
    checked = validation.check(session=session, number=number, raw=document)
    row = _row(session, number.id) or NumberRouting(number_id=number.id)
    row.document = checked.model_dump(mode="json")
    row.updated_at, row.updated_by = utcnow(), member.user_id
    session.add(row)
    audit.record(
        session=session, action="number.routing_saved", actor_id=member.user_id, target_id=number.id
    )
    return checked


def clear_routing(*, session: Session, member: Member, number_id) -> None:
    """Back to the default: ring the owner's tabs, then voicemail."""
    number = usable_number(session=session, member=member, number_id=number_id)
    require_manager(member)
    row = _row(session, number.id)
    if row is not None:
        session.delete(row)
        audit.record(
            session=session,
            action="number.routing_cleared",
            actor_id=member.user_id,
            target_id=number.id,
        )


def member_names(*, session: Session, user_ids) -> dict[int, str]:
    rows = session.exec(select(User).where(col(User.id).in_(list(user_ids)))).all()
    return {u.id: u.shown_name for u in rows}


def describe_routing(*, session: Session, member: Member, number_id) -> str:
    """The routing in plain words ("Default: ring, then voicemail" without one)."""
    document = get_routing(session=session, member=member, number_id=number_id)
    if document is None:
        return "Default: ring the number's owner, then voicemail"
    people = {uid for step in walk(document.route) if isinstance(step, RingStep)
              for uid in step.user_ids}  # fmt: skip
    return summary.describe(document, member_names(session=session, user_ids=people))
