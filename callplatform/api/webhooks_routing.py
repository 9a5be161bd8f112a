"""The webhooks of routed calls (issue 18): a menu's key, a dial's end, the next step, a
forward's whisper and its key. Signed like every webhook; the URL's query names the
number and the step, and `routing.callbacks` acts only when that number is the signer's.
Answered with TwiML after the commit; 503 (Twilio retries) when the database is down."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.exc import SQLAlchemyError

from callplatform.api.signed import verified_params
from callplatform.db import session_scope
from callplatform.routing import call_flow, callbacks

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


def _answer(handler, request: Request, params: dict) -> Response:
    query = dict(request.query_params)
    try:
        with session_scope() as session:
            body = handler(session=session, params=params, query=query)
    except SQLAlchemyError:
        log.exception("routing webhook: database unavailable")
        return Response(status_code=503, headers={"Retry-After": "1"})
    return Response(content=body, media_type="application/xml")


@router.post(call_flow.NEXT_PATH)
def next_step(request: Request, params: dict = Depends(verified_params)) -> Response:
    return _answer(callbacks.next_step, request, params)


@router.post(call_flow.MENU_PATH)
def menu(request: Request, params: dict = Depends(verified_params)) -> Response:
    return _answer(callbacks.menu_answer, request, params)


@router.post(call_flow.DIALED_PATH)
def dialed(request: Request, params: dict = Depends(verified_params)) -> Response:
    return _answer(callbacks.dialed, request, params)


@router.post(call_flow.WHISPER_PATH)
def whisper(request: Request, params: dict = Depends(verified_params)) -> Response:
    return _answer(callbacks.whisper, request, params)


@router.post(call_flow.ACCEPT_PATH)
def accept(request: Request, params: dict = Depends(verified_params)) -> Response:
    return _answer(callbacks.accept, request, params)
