"""Conversations: one thread per (our number, other party), as a member may see them —
an admin or owner every thread of the workspace, a member the threads of the numbers
assigned to them. Anything else is "not found"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, true, tuple_
from sqlmodel import Session, col, func, select

from callplatform.common import cursors, ids
from callplatform.common.errors import NotFound, ValidationError
from callplatform.models import Conversation, Message
from callplatform.workspaces.access import Member

PREVIEW = 160
THREAD_PAGE = 200


def visible_to(member: Member):
    """The WHERE clause of the threads this member may see."""
    mine = true() if member.manages else col(Conversation.number_id).in_(sorted(member.number_ids))
    return and_(Conversation.workspace_id == member.workspace_id, mine)


def list_conversations(*, session: Session, member: Member, limit: int = 100) -> list[Conversation]:
    """The member's threads, the newest message first."""
    return list(
        session.exec(
            select(Conversation)
            .where(visible_to(member))
            .order_by(col(Conversation.last_message_at).desc(), col(Conversation.id).desc())
            .limit(limit)
        )
    )


def unread_total(*, session: Session, member: Member) -> int:
    return session.exec(
        select(func.coalesce(func.sum(Conversation.unread), 0)).where(visible_to(member))
    ).one()


def get_conversation(*, session: Session, member: Member, conversation_id) -> Conversation:
    row = session.get(Conversation, conversation_id) if ids.is_id(conversation_id) else None
    if (
        row is None
        or not session.exec(
            select(Conversation.id).where(Conversation.id == row.id, visible_to(member))
        ).first()
    ):
        raise NotFound("That conversation isn't one of yours.")
    return row


def messages_of(
    *, session: Session, member: Member, conversation_id, limit: int = THREAD_PAGE
) -> list[Message]:
    """A thread's latest messages, oldest first (as a thread reads)."""
    conversation = get_conversation(session=session, member=member, conversation_id=conversation_id)
    newest = session.exec(
        select(Message)
        .where(Message.conversation_id == conversation.id)
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        .limit(limit)
    ).all()
    return list(reversed(newest))


def mark_read(*, session: Session, member: Member, conversation_id) -> None:
    conversation = get_conversation(session=session, member=member, conversation_id=conversation_id)
    if conversation.unread:
        conversation.unread = 0
        session.add(conversation)


def open_thread(
    *, session: Session, workspace_id: int, number_id: int, other_party: str
) -> Conversation:
    """The thread of this number with this party, made on its first message."""
    row = session.exec(
        select(Conversation).where(
            Conversation.number_id == number_id, Conversation.other_party == other_party
        )
    ).first()
    if row is None:
        row = Conversation(workspace_id=workspace_id, number_id=number_id, other_party=other_party)
        session.add(row)
        session.flush()
    return row


def note_message(conversation: Conversation, message: Message, *, at: datetime) -> None:
    """A new message moves its thread to the top of the inbox."""
    conversation.last_message_at = at
    preview = message.body or ("Picture" if message.media_count else "")
    conversation.last_preview = preview[:PREVIEW]
    if message.direction == "inbound":
        conversation.unread += 1


@dataclass(frozen=True)
class MessageFilters:
    text: str = ""  # held in the body, any case
    conversation_id: int | None = None
    number_id: int | None = None
    direction: str = ""  # inbound | outbound
    cursor: str = ""  # from the previous page


def list_messages(
    *, session: Session, member: Member, filters: MessageFilters, limit: int = 50
) -> tuple[list[Message], str | None]:
    """Messages in threads the member sees, newest first, a page at a time; with the
    next page's cursor (None on the last)."""
    if filters.direction not in ("", "inbound", "outbound"):
        raise ValidationError("Direction is inbound or outbound.", field="direction")
    query = (
        select(Message)
        .join(Conversation, col(Conversation.id) == Message.conversation_id)
        .where(visible_to(member))
    )
    needle = (filters.text or "").strip()[:100]
    if needle:
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(col(Message.body).ilike(f"%{escaped}%", escape="\\"))
    if filters.conversation_id is not None:
        query = query.where(Message.conversation_id == filters.conversation_id)
    if filters.number_id is not None:
        query = query.where(Message.number_id == filters.number_id)
    if filters.direction:
        query = query.where(Message.direction == filters.direction)
    if filters.cursor:
        at, after = cursors.decode(filters.cursor)
        query = query.where(tuple_(Message.created_at, Message.id) < tuple_(at, after))
    rows = session.exec(
        query.order_by(col(Message.created_at).desc(), col(Message.id).desc()).limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return list(rows), cursors.encode(rows[-1].created_at, rows[-1].id) if more else None


def search(*, session: Session, member: Member, text: str, limit: int = 50) -> list[Message]:
    """Messages whose body holds `text` (any case), newest first, in threads they see."""
    if not (text or "").strip():
        return []
    filters = MessageFilters(text=text)
    return list_messages(session=session, member=member, filters=filters, limit=limit)[0]
