"""Calls over the API: click-to-call, the call log (the Calls page's filters, cursor
paging) and one call's detail."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from callplatform.api import views
from callplatform.api.deps import current_member
from callplatform.api.errors import ERROR_RESPONSES
from callplatform.api.schemas import (
    Call,
    CallDetail,
    CallEvent,
    CallPage,
    CallRequest,
    Instant,
    NoControl,
    PathId,
    QueryId,
)
from callplatform.calls import click_to_call
from callplatform.common import phone_format
from callplatform.common.errors import ServiceError, ValidationError
from callplatform.db import read_scope, session_scope
from callplatform.history import call_log
from callplatform.history.call_names import party_names
from callplatform.workspaces.access import Member

router = APIRouter(prefix="/api/twilio", tags=["calls"], responses=ERROR_RESPONSES)
# The call log's own list of statuses (and "missed"), so the two never drift apart.
Status = Literal[tuple(sorted(call_log.STATUSES | {call_log.MISSED}))]  # type: ignore[valid-type]


@router.post("/call", status_code=201, response_model=Call)
def place_call(body: CallRequest, member: Member = Depends(current_member)) -> Call:
    """Click-to-call: we ring `my_phone` from `from_number`; when you answer, we connect
    `to`. Both legs are billed. The answer is the leg that rings you; the connected leg
    appears in the call log with this call as its parent."""
    try:
        with session_scope() as session:
            row = click_to_call.place_call(
                session=session,
                member=member,
                caller_id=_e164_or_raw(body.from_number),
                my_phone=body.my_phone,
                to=body.to,
            )
            return views.call(row, None)
    except ServiceError as exc:
        if exc.field == "caller_id":  # the service's name for what this API calls from_number
            exc.field = "from_number"
        raise


def _e164_or_raw(value: str) -> str:
    try:
        return phone_format.to_e164(value, field="from_number")
    except ValidationError:
        return value  # check_outbound explains that it isn't one of the user's numbers


@router.get("/calls", response_model=CallPage)
def list_calls(
    number_id: QueryId = None,
    direction: Literal["inbound", "outbound"] | None = None,
    status: Status | None = None,
    since: Instant | None = Query(None, description="ISO 8601; calls started at or after."),
    until: Instant | None = Query(None, description="ISO 8601; calls started before."),
    search: Annotated[
        str,
        Query(max_length=32, description="Digits of either party's number; letters: 422."),
        NoControl,
    ] = "",
    cursor: Annotated[str | None, Query(max_length=200), NoControl] = None,
    limit: int = Query(50, ge=1, le=call_log.MAX_PAGE),
    member: Member = Depends(current_member),
) -> CallPage:
    """The calls you see in your workspace, newest first (an admin or owner: all of
    them; a member: their numbers' and their own). Follow `next_cursor` for older ones."""
    filters = call_log.CallFilters(
        number_id=number_id,
        direction=direction,
        status=status,
        since=since,
        until=until,
        search=search,
    )
    with read_scope() as session:
        page = call_log.list_calls(
            session=session, member=member, filters=filters, cursor=cursor, limit=limit
        )
        charges = call_log.charges_for(
            session=session, workspace_id=member.workspace_id, call_ids=[r.id for r in page.rows]
        )
        names = party_names(session=session, workspace_id=member.workspace_id, calls=page.rows)
    return CallPage(
        calls=[views.call(r, charges.get(r.id), names.get(r.id)) for r in page.rows],
        next_cursor=page.next_cursor,
    )


@router.get("/calls/{call_id}", response_model=CallDetail)
def get_call(
    call_id: PathId,
    member: Member = Depends(current_member),
) -> CallDetail:
    """One call with its status timeline (oldest first) and its recordings."""
    with read_scope() as session:
        call, events, recordings = call_log.get_call(
            session=session, member=member, call_id=call_id
        )
        charge = call_log.charges_for(
            session=session, workspace_id=member.workspace_id, call_ids=[call.id]
        )
        names = party_names(session=session, workspace_id=member.workspace_id, calls=[call])
    return CallDetail(
        call=views.call(call, charge.get(call.id), names.get(call.id)),
        events=[
            CallEvent(
                status=e.payload.get("CallStatus", ""),
                sequence=_int(e.payload.get("SequenceNumber")),
                received_at=e.received_at,
            )
            for e in events
        ],
        recordings=[views.recording(r) for r in recordings],
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
