"""Conversations: one thread per (our number, other party), as a member may see them —
an admin or owner every thread of the workspace, a member the threads of the numbers
assigned to them. Anything else is "not found"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, true
from sqlmodel import Session, col, func, select

from callplatform.common import ids
from callplatform.common.errors import NotFound
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


def search(*, session: Session, member: Member, text: str, limit: int = 50) -> list[Message]:
    """Messages whose body holds `text` (any case), newest first, in threads they see."""
    needle = (text or "").strip()[:100]
    if not needle:
        return []
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(
        session.exec(
            select(Message)
            .join(Conversation, col(Conversation.id) == Message.conversation_id)
            .where(visible_to(member), col(Message.body).ilike(f"%{escaped}%", escape="\\"))
            .order_by(col(Message.created_at).desc(), col(Message.id).desc())
            .limit(limit)
        )
    )
