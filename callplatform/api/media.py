"""Routes the web app itself calls, authenticated by its session cookie: recording audio
(only the owner gets the bytes; no Twilio URL or credential reaches the browser) and
access tokens for the Voice SDK (always for the caller's own identity)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from callplatform.accounts import login_workspace, sessions
from callplatform.api.deps import cookie_user
from callplatform.api.errors import STATUS_BY_CODE
from callplatform.api.schemas import PathId
from callplatform.calls import voice_tokens
from callplatform.common.errors import NotFound, ServiceError
from callplatform.db import session_scope
from callplatform.history import recordings

router = APIRouter(include_in_schema=False)


@router.get("/api/recordings/{recording_id}/media")
def recording_media(recording_id: PathId, request: Request, download: bool = False) -> Response:
    user = cookie_user(request)
    if user is None:
        return Response(status_code=401)
    token = request.cookies.get(sessions.SESSION_COOKIE, "")
    try:
        with session_scope() as session:
            member = login_workspace.acting_member(session=session, token=token, user_id=user.id)
            if member is None:
                return Response(status_code=404)
            audio, content_type = recordings.get_media(
                session=session, member=member, recording_id=recording_id
            )
    except NotFound:
        return Response(status_code=404)
    except ServiceError as exc:  # Twilio failed: 502 (refused) or 503 (unavailable)
        return Response(status_code=STATUS_BY_CODE.get(exc.code, 502))
    disposition = "attachment" if download else "inline"
    return Response(
        content=audio,
        media_type=content_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="recording-{recording_id}.wav"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/api/voice/token")
def voice_token(request: Request) -> Response:
    user = cookie_user(request)
    if user is None:
        return JSONResponse({"error": {"code": "unauthenticated"}}, status_code=401)
    token = request.cookies.get(sessions.SESSION_COOKIE, "")
    try:
        with session_scope() as session:
            member = login_workspace.acting_member(session=session, token=token, user_id=user.id)
            if member is None:
                return JSONResponse({"error": {"code": "not_found"}}, status_code=404)
            minted = voice_tokens.get_voice_token(session=session, member=member)
    except ServiceError as exc:
        status = STATUS_BY_CODE.get(exc.code, 422)
        return JSONResponse(
            {"error": {"code": exc.code, "message": exc.message}}, status_code=status
        )
    return JSONResponse(
        {"token": minted.token, "identity": minted.identity, "expires_in": minted.expires_in},
        headers={"Cache-Control": "no-store"},
    )
