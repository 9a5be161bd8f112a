"""The webhooks of calls moved into a conference (hold and transfer): the Dial's action
that brings the other leg in, the conference's status callback, a dialled-in party's
call progress, and the hold music. Signed like every webhook; `routing.conference_events`
acts only on a conference of the signing account. Committed before the answer (503 when
the database is down: Twilio retries); what an event calls for at Twilio (hand the call
over, resume, end) runs after the commit."""

from __future__ import annotations

import functools
import logging

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.exc import SQLAlchemyError

from callplatform.api.signed import verified_params
from callplatform.common.errors import ServiceError
from callplatform.db import session_scope
from callplatform.routing import conference, conference_events
from callplatform.telephony import twiml_conference
from callplatform.telephony.errors import TelephonyError

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
XML = "application/xml"
UNAVAILABLE = Response(status_code=503, headers={"Retry-After": "1"})


@router.post(conference.REJOIN_PATH)
def rejoin(params: dict = Depends(verified_params)) -> Response:
    """The outbound Dial's action: join the conference the callee was moved to, or end."""
    try:
        with session_scope() as session:
            body = conference.rejoin_twiml(session=session, params=params)
    except SQLAlchemyError:
        log.exception("conference rejoin: database unavailable")
        return UNAVAILABLE
    return Response(content=body or twiml_conference.hang_up(), media_type=XML)


@router.post(conference.HOLD_MUSIC_PATH)
async def hold_music(params: dict = Depends(verified_params)) -> Response:
    return Response(content=twiml_conference.hold_music(), media_type=XML)


def _apply(handler, params: dict) -> Response:
    try:
        with session_scope() as session:  # its commit tells who sees the call (`track`)
            step = handler(session=session, params=params)
    except SQLAlchemyError:
        log.exception("conference webhook: database unavailable")
        return UNAVAILABLE
    if step is not None:
        try:
            with session_scope() as session:
                conference_events.follow_up(session=session, step=step)
        except (ServiceError, TelephonyError, SQLAlchemyError):
            log.exception("conference webhook: %s did not happen", step[0])
    return Response(status_code=204)


@router.post(conference.EVENTS_PATH)
def events(params: dict = Depends(verified_params)) -> Response:
    return _apply(conference_events.on_event, params)


@router.post(conference.PARTICIPANT_STATUS_PATH)
def party_status(request: Request, params: dict = Depends(verified_params)) -> Response:
    # Who dialled the party in, in the URL we gave Twilio (signed with the rest).
    by = request.query_params.get("by", "")
    handled_by = int(by) if by.isdigit() and len(by) <= 12 else None
    return _apply(functools.partial(conference_events.on_party_status, handled_by=handled_by),
                  params)  # fmt: skip
