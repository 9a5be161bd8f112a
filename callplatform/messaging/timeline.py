"""Everything with one person on one of our numbers: the thread's texts and the calls
between the same two numbers, in one list, oldest first; and what each text cost (the
ledger's charge, markup included, as Usage and the API show it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import or_
from sqlmodel import Session, col, select

from callplatform.messaging import threads
from callplatform.models import CostItem, CostKind, Message, TwilioCall
from callplatform.workspaces.access import Member

CALLS_SHOWN = 100


@dataclass(frozen=True)
class Entry:
    at: datetime
    message: Message | None = None
    call: TwilioCall | None = None


def with_person(*, session: Session, member: Member, conversation_id) -> list[Entry]:
    """The thread's latest texts and the calls with the same party on the same number,
    merged by time (the thread's visibility decides: NotFound for anyone else)."""
    conversation = threads.get_conversation(
        session=session, member=member, conversation_id=conversation_id
    )
    texts = threads.messages_of(session=session, member=member, conversation_id=conversation.id)
    party = conversation.other_party
    calls = session.exec(
        select(TwilioCall)
        .where(
            TwilioCall.number_id == conversation.number_id,
            or_(TwilioCall.from_number == party, TwilioCall.to_number == party),
        )
        .order_by(col(TwilioCall.started_at).desc(), col(TwilioCall.id).desc())
        .limit(CALLS_SHOWN)
    ).all()
    entries = [Entry(at=m.created_at, message=m) for m in texts]
    entries += [Entry(at=c.started_at, call=c) for c in calls]
    return sorted(entries, key=lambda e: _utc(e.at))


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite gives naive UTC back


def charges(*, session: Session, messages: list[Message]) -> dict[int, Decimal]:
    """{message id: what it cost the user} for the priced ones."""
    by_key = {f"message:{m.message_sid}": m.id for m in messages if m.message_sid}
    if not by_key:
        return {}
    rows = session.exec(
        select(CostItem.source_key, CostItem.charge).where(
            CostItem.kind == CostKind.MESSAGE, col(CostItem.source_key).in_(list(by_key))
        )
    ).all()
    return {by_key[key]: Decimal(charge) for key, charge in rows}
