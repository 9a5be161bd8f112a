"""Twilio's webhooks for texts: an inbound message (answered with TwiML, a reply to HELP)
and an outbound message's status callback. Signed like every webhook, applied in one
transaction in a worker thread, acknowledged after the commit (503 lets Twilio retry)."""

from __future__ import annotations

import logging
from xml.sax.saxutils import escape

from fastapi import APIRouter, BackgroundTasks, Depends
from fastapi.responses import Response
from sqlalchemy.exc import SQLAlchemyError

from callplatform.api.signed import verified_params
from callplatform.common import webhook_urls
from callplatform.db import session_scope
from callplatform.messaging import media, receiving

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
UNAVAILABLE = Response(status_code=503, headers={"Retry-After": "1"})


def _twiml(reply: str | None) -> Response:
    said = f"<Message>{escape(reply)}</Message>" if reply else ""
    body = f'<?xml version="1.0" encoding="UTF-8"?><Response>{said}</Response>'
    return Response(content=body, media_type="application/xml")


@router.post(webhook_urls.SMS_PATH)
def inbound(background: BackgroundTasks, params: dict = Depends(verified_params)) -> Response:
    try:
        with session_scope() as session:
            reply = receiving.receive(session=session, params=params)
    except SQLAlchemyError:
        log.exception("inbound text: database unavailable")
        return UNAVAILABLE
    if params.get("NumMedia", "0") != "0":  # its pictures now, not at the next sweep
        background.add_task(_fetch_media)
    return _twiml(reply)


def _fetch_media() -> None:
    try:
        with session_scope() as session:
            media.fetch_inbound(session=session)
    except SQLAlchemyError:
        log.exception("inbound pictures: database unavailable (the sweep tries again)")


@router.post(webhook_urls.SMS_STATUS_PATH)
def status(params: dict = Depends(verified_params)) -> Response:
    try:
        with session_scope() as session:
            receiving.apply_status(session=session, params=params)
    except SQLAlchemyError:
        log.exception("text status: database unavailable")
        return UNAVAILABLE
    return Response(status_code=204)
