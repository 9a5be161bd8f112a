"""Texts over the API: the inbox, a thread, search, and sending (idempotent). The same
services, and so the same rules, as the Messages page; everything acts in the workspace
the credential acts in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from callplatform.api import idempotent, messages_api, views
from callplatform.api.deps import current_member, current_user
from callplatform.api.errors import ERROR_RESPONSES
from callplatform.api.idempotent import IdempotencyKey
from callplatform.api.messages_api import (
    ConversationOut,
    MessageOut,
    MessagePage,
    SendMessageRequest,
    Thread,
)
from callplatform.api.schemas import ErrorResponse, NoControl, PathId, QueryId
from callplatform.contacts import lookup
from callplatform.db import read_scope
from callplatform.history import call_log
from callplatform.messaging import media, sending, threads, timeline
from callplatform.models import User
from callplatform.workspaces.access import Member

router = APIRouter(prefix="/api", tags=["messages"], responses=ERROR_RESPONSES)


@router.get("/conversations", response_model=list[ConversationOut])
def list_conversations(member: Member = Depends(current_member)) -> list[ConversationOut]:
    """Your text threads, the newest message first."""
    with read_scope() as session:
        rows = threads.list_conversations(session=session, member=member)
        names = _names(session, member, [r.other_party for r in rows])
        return [messages_api.conversation(r, names) for r in rows]


def _names(session, member: Member, numbers: list[str]) -> dict[str, str]:
    return lookup.names_for(session=session, workspace_id=member.workspace_id, numbers=numbers)


@router.get("/conversations/{conversation_id}", response_model=Thread)
def get_conversation(conversation_id: PathId, member: Member = Depends(current_member)) -> Thread:
    """A thread and its latest messages, oldest first."""
    with read_scope() as session:
        row = threads.get_conversation(
            session=session, member=member, conversation_id=conversation_id
        )
        entries = timeline.with_person(session=session, member=member, conversation_id=row.id)
        texts = [e.message for e in entries if e.message]
        calls = [e.call for e in entries if e.call]
        pictures = media.media_of(session=session, message_ids=[m.id for m in texts])
        costs = timeline.charges(session=session, messages=texts)
        call_costs = call_log.charges_for(
            session=session, workspace_id=member.workspace_id, call_ids=[c.id for c in calls]
        ) if calls else {}  # fmt: skip
        names = _names(session, member, [row.other_party])
        return Thread(
            conversation=messages_api.conversation(row, names),
            messages=[
                messages_api.message(m, pictures.get(m.id), costs.get(m.id), names) for m in texts
            ],
            calls=[views.call(c, call_costs.get(c.id), names.get(row.other_party)) for c in calls],
        )


@router.get("/messages", response_model=MessagePage)
def list_messages(
    q: Annotated[str, Query(max_length=100, description="Text the message holds."), NoControl] = "",
    conversation_id: QueryId = None,
    number_id: QueryId = None,
    direction: Annotated[str, Query(max_length=8, description="inbound or outbound.")] = "",
    cursor: Annotated[str, Query(max_length=200), NoControl] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    member: Member = Depends(current_member),
) -> MessagePage:
    """Your messages, newest first, filtered; `next_cursor` leads to the next page."""
    filters = threads.MessageFilters(
        text=q, conversation_id=conversation_id, number_id=number_id, direction=direction,
        cursor=cursor,
    )  # fmt: skip
    with read_scope() as session:
        rows, next_cursor = threads.list_messages(
            session=session, member=member, filters=filters, limit=limit
        )
        names = _names(session, member, [messages_api.other_party(m) for m in rows])
        return MessagePage(
            messages=[messages_api.message(m, names=names) for m in rows], next_cursor=next_cursor
        )


@router.post(
    "/messages",
    status_code=201,
    response_model=MessageOut,
    responses={409: {"model": ErrorResponse, "description": "Same key, still running."}},
)
def send_message(
    body: SendMessageRequest,
    idempotency_key: IdempotencyKey,
    member: Member = Depends(current_member),
    user: User = Depends(current_user),
) -> JSONResponse:
    """Send a text from one of your numbers. A retry with the same `Idempotency-Key`
    returns the first answer instead of sending twice."""

    def send(session) -> dict:
        row = sending.send_message(
            session=session, member=member, user=session.get(User, user.id),
            number_id=body.from_number_id, to=body.to, body=body.body,
            attachments=[item.decoded() for item in body.media],
        )  # fmt: skip
        return messages_api.message(row).model_dump(mode="json")

    return idempotent.run_once(
        owner_id=user.id, key=idempotency_key, request=body.model_dump(), work=send
    )
