"""Names for the far end of calls: the workspace's contacts, read once for a page."""

from __future__ import annotations

from sqlmodel import Session

from callplatform.contacts import lookup
from callplatform.models import CallDirection, TwilioCall


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
