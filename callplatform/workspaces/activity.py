"""A workspace's own audit log, for its admins and owners: numbers bought, assigned and
released, members invited, joined, removed or given a new role, caps set, calls
refused, newest first and in words (`common.audit_words`)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from callplatform.common import audit_words
from callplatform.models import AuditEvent
from callplatform.workspaces.access import Member, require_manager

MAX_ENTRIES = 200


def workspace_activity(
    *, session: Session, member: Member, limit: int = 100
) -> list[audit_words.Entry]:
    require_manager(member)
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.workspace_id == member.workspace_id)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(max(1, min(int(limit), MAX_ENTRIES)))
    ).all()
    return audit_words.entries_of(session=session, events=list(events))
