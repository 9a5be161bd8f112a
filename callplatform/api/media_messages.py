"""The bytes of MMS pictures: for the web app (its session cookie; only to those who may
see the thread) and for Twilio (a URL signed for one item we send: Twilio cannot log in,
so the URL is the key; any other URL is refused)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from callplatform.accounts import login_workspace, sessions
from callplatform.api.deps import cookie_user
from callplatform.api.schemas import PathId
from callplatform.common.errors import NotFound
from callplatform.db import read_scope
from callplatform.messaging import media

router = APIRouter(include_in_schema=False)
PRIVATE = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


@router.get("/api/messages/media/{media_id}")
def message_media(media_id: PathId, request: Request) -> Response:
    user = cookie_user(request)
    if user is None:
        return Response(status_code=401)
    token = request.cookies.get(sessions.SESSION_COOKIE, "")
    try:
        with read_scope() as session:
            member = login_workspace.acting_member(session=session, token=token, user_id=user.id)
            if member is None:
                return Response(status_code=404)
            data, content_type = media.content_for(
                session=session, member=member, media_id=media_id
            )
    except NotFound:
        return Response(status_code=404)
    return Response(content=data, media_type=content_type, headers=PRIVATE)


@router.get(media.OUTBOUND_PATH + "/{media_id}/{signature}")
def outbound_media(media_id: PathId, signature: str) -> Response:
    with read_scope() as session:
        found = media.outbound_content(session=session, media_id=media_id, signature=signature[:64])
    if found is None:
        return Response(status_code=403)
    data, content_type = found
    return Response(content=data, media_type=content_type, headers=PRIVATE)
