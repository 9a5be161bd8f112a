"""Names on a page of calls: the far end's among the workspace's contacts, and the
members who handled them; each read once for the page."""

from __future__ import annotations

from sqlmodel import Session, col, select

from callplatform.contacts import lookup
from callplatform.models import CallDirection, TwilioCall, User


def other_party(call: TwilioCall) -> str:
    """The number at the far end: who called in, or who was called."""
    return call.from_number if call.direction == CallDirection.INBOUND else call.to_number


def party_names(*, session: Session, workspace_id: int | None, calls) -> dict[int, str]:
    """{call id: the contact's name} for the calls whose other party a contact of the
    workspace holds, in one query (None: no workspace, no names)."""
    if workspace_id is None:
        return {}
    names = lookup.names_for(
        session=session, workspace_id=workspace_id, numbers=[other_party(c) for c in calls]
    )
    return {c.id: names[other_party(c)] for c in calls if other_party(c) in names}


def handler_names(*, session: Session, calls) -> dict[int, str]:
    """{user id: name} of the members who handled these calls (placed or answered), in
    one query: the call log's "answered by"."""
    user_ids = sorted({c.handled_by for c in calls if c.handled_by})
    if not user_ids:
        return {}
    rows = session.exec(select(User).where(col(User.id).in_(user_ids))).all()
    return {u.id: u.shown_name for u in rows}
