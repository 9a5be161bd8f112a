"""Recording audio for the browser, through an authenticated route of ours: the session
cookie names the user, only the owner gets the bytes, and no Twilio URL or credential
ever reaches the browser."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from callplatform.db import read_scope, session_scope
from callplatform.services import recordings, sessions
from callplatform.services.errors import NotFound, ServiceError

router = APIRouter(include_in_schema=False)


@router.get("/api/recordings/{recording_id}/media")
def recording_media(recording_id: int, request: Request, download: int = 0) -> Response:
    with read_scope() as session:
        user = sessions.get_session_user(
            session=session, token=request.cookies.get(sessions.SESSION_COOKIE)
        )
    if user is None:
        return Response(status_code=401)
    try:
        with session_scope() as session:
            audio, content_type = recordings.get_media(
                session=session, owner_id=user.id, recording_id=recording_id
            )
    except NotFound:
        return Response(status_code=404)
    except ServiceError:
        return Response(status_code=502)
    disposition = "attachment" if download else "inline"
    return Response(
        content=audio,
        media_type=content_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="recording-{recording_id}.wav"',
            "Cache-Control": "private, no-store",
        },
    )
