"""Recordings (list and audio) and usage over the API."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from callplatform.api import views
from callplatform.api.deps import current_member
from callplatform.api.errors import ERROR_RESPONSES
from callplatform.api.schemas import AmountByKey, PathId, RecordingList, Usage
from callplatform.billing import usage
from callplatform.db import read_scope, session_scope
from callplatform.history import recordings
from callplatform.workspaces.access import Member

router = APIRouter(prefix="/api/twilio", tags=["recordings", "usage"], responses=ERROR_RESPONSES)


@router.get("/recordings", response_model=RecordingList)
def list_recordings(
    limit: int = Query(100, ge=1, le=200), member: Member = Depends(current_member)
) -> RecordingList:
    """The recordings and voicemails of the calls you see, newest first."""
    with read_scope() as session:
        rows = recordings.list_recordings(session=session, member=member, limit=limit)
    return RecordingList(recordings=[views.recording(rec) for rec, _caller in rows])


@router.get(
    "/recordings/{recording_id}/media",
    response_class=Response,
    responses={200: {"content": {"audio/wav": {}}, "description": "The recording's audio."}},
)
def recording_media(recording_id: PathId, member: Member = Depends(current_member)) -> Response:
    """The audio, fetched from Twilio by us: no Twilio URL or credential is exposed."""
    with session_scope() as session:
        audio, content_type = recordings.get_media(
            session=session, member=member, recording_id=recording_id
        )
    return Response(
        content=audio,
        media_type=content_type,
        headers={"Cache-Control": "private, no-store"},
    )


@router.get("/usage", response_model=Usage)
def get_usage(
    month: str | None = Query(None, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; default now."),
    member: Member = Depends(current_member),
) -> Usage:
    """What your workspace paid in a month (exact amounts), by kind, by number, by member
    and by day (a member who isn't an admin: their own calls' and texts')."""
    period = usage.Month.parse(month) if month else usage.Month.current()
    with read_scope() as session:
        s = usage.get_summary(session=session, member=member, month=period)
    return Usage(
        month=s.month,
        total=str(s.total),
        by_kind=[AmountByKey(key=k, charge=str(v)) for k, v in s.by_kind.items()],
        by_number=[AmountByKey(key=k, charge=str(v)) for k, v in s.by_number],
        by_member=[AmountByKey(key=k, charge=str(v)) for k, v in s.by_member],
        daily=[AmountByKey(key=k, charge=str(v)) for k, v in s.daily],
        call_minutes=s.call_minutes,
        recording_minutes=s.recording_minutes,
    )
