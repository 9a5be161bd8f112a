"""The Messages page's database work, run in worker threads (never on the event loop).
Each takes the acting member, resolved on the server; the services check every id."""

from __future__ import annotations

from urllib.parse import quote

from sqlmodel import Session, col, select

from callplatform import routes
from callplatform.common.phone_format import display
from callplatform.contacts import lookup
from callplatform.db import read_scope, session_scope
from callplatform.messaging import media, sending, threads, timeline
from callplatform.models import Conversation, Message, NumberStatus, User, UserPhoneNumber
from callplatform.pages.messages.rows import (
    ConversationRow,
    MessageRow,
    SearchHit,
    ThreadView,
    number_label,
    thread_href,
)
from callplatform.workspaces.access import Member


def _numbers(session: Session, member: Member, ids: set[int]) -> dict[int, UserPhoneNumber]:
    if not ids:
        return {}
    rows = session.exec(
        select(UserPhoneNumber).where(
            col(UserPhoneNumber.id).in_(sorted(ids)),
            UserPhoneNumber.workspace_id == member.workspace_id,
        )
    )
    return {n.id: n for n in rows}


def inbox(member: Member) -> tuple[list[ConversationRow], int]:
    """The member's threads, newest first, and their unread texts in all."""
    with read_scope() as session:
        rows = threads.list_conversations(session=session, member=member)
        numbers = _numbers(session, member, {r.number_id for r in rows})
        unread = int(threads.unread_total(session=session, member=member))
        names = lookup.names_for(
            session=session, workspace_id=member.workspace_id, numbers=[r.other_party for r in rows]
        )
    return [
        ConversationRow.of(r, number_label(numbers.get(r.number_id)), names.get(r.other_party, ""))
        for r in rows
    ], unread


def read_thread(member: Member, conversation_id) -> tuple[ThreadView, list[MessageRow]]:
    """A thread and its latest texts; opening it marks it read (for everyone who may see
    it, as in a shared inbox). Read without the write lock: only a thread with unread
    texts is written to (every push re-reads the open thread)."""
    with read_scope() as session:
        row = threads.get_conversation(
            session=session, member=member, conversation_id=conversation_id
        )
        entries = timeline.with_person(session=session, member=member, conversation_id=row.id)
        texts = [e.message for e in entries if e.message]
        pictures = media.media_of(session=session, message_ids=[m.id for m in texts or []])
        number = _numbers(session, member, {row.number_id}).get(row.number_id)
        name = lookup.names_for(
            session=session, workspace_id=member.workspace_id, numbers=[row.other_party]
        ).get(row.other_party)
        view = ThreadView(
            id=row.id or 0,
            party=name or display(row.other_party),
            add_contact_href="" if name else f"{routes.CONTACTS}?add={quote(row.other_party)}",
            party_e164=row.other_party,
            number=number_label(number),
        )
        unread = row.unread
    if unread:
        with session_scope() as session:
            threads.mark_read(session=session, member=member, conversation_id=view.id)
    return view, [
        MessageRow.of(e.message, pictures.get(e.message.id, []))
        if e.message
        else MessageRow.of_call(e.call)
        for e in entries
    ]


def senders(member: Member) -> list[list[str]]:
    """[id, label] of the live numbers this member may text from."""
    with read_scope() as session:
        query = select(UserPhoneNumber).where(
            UserPhoneNumber.workspace_id == member.workspace_id,
            UserPhoneNumber.status == NumberStatus.ACTIVE,
        )
        if not member.manages:
            query = query.where(col(UserPhoneNumber.id).in_(sorted(member.number_ids)))
        rows = session.exec(query.order_by(col(UserPhoneNumber.id))).all()
    return [[str(n.id), number_label(n)] for n in rows]


def search(member: Member, text: str) -> list[SearchHit]:
    with read_scope() as session:
        found = threads.search(session=session, member=member, text=text)
        ids = sorted({m.conversation_id for m in found})
        parties = dict(
            session.exec(
                select(Conversation.id, Conversation.other_party).where(
                    col(Conversation.id).in_(ids or [-1])
                )
            ).all()
        )
        names = lookup.names_for(
            session=session, workspace_id=member.workspace_id, numbers=parties.values()
        )
    return [
        SearchHit(
            href=thread_href(m.conversation_id),
            party=names.get(parties.get(m.conversation_id, ""))
            or display(parties.get(m.conversation_id, "")),
            body=m.body,
            at=m.created_at.isoformat(),
            outbound=m.direction == "outbound",
        )
        for m in found
    ]


def send(
    member: Member, user_id: int, *, conversation_id, number_id, to, body, attachments=()
) -> int:
    """Send a text; returns its thread's id. In a thread, the number and the party are
    the thread's (checked against the member), never the client's."""
    with session_scope() as session:
        if conversation_id is not None:
            row = threads.get_conversation(
                session=session, member=member, conversation_id=conversation_id
            )
            number_id, to = row.number_id, row.other_party
        message: Message = sending.send_message(
            session=session, member=member, user=session.get(User, user_id),
            number_id=number_id, to=to, body=body, attachments=attachments,
        )  # fmt: skip
        return message.conversation_id
