"""The two HTTP responses that write the browser's session cookie (page scripts cannot:
it is HttpOnly). The UI navigates here with a full page load (`state.session`).

- GET `ESTABLISH_PATH?code=...`: after the login or register form, trades the one-time
  code for the session cookie, then on to `next` (a page of ours: `routes.safe_next`) or
  the dashboard. Only for a navigation from one of
  our own pages (Sec-Fetch-Site): a link elsewhere carrying someone's code must not sign a
  visitor into that account.
- POST `END_PATH`: logging out. Revokes the session the cookie names and clears the
  cookie (a POST: no link or image elsewhere logs anyone out).
Refusals are real statuses (403, 401) whose page moves on to the login page.

The cookie: HttpOnly, SameSite=Strict (no other site's page or link sends it), Secure when
the browser reaches us over https, for the session's lifetime.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from callplatform import client_address, routes
from callplatform.accounts import auth, sessions
from callplatform.config import get_settings
from callplatform.db import session_scope

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _go(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303, headers=NO_STORE)


def _refused(status: int) -> HTMLResponse:
    login = routes.LOGIN
    page = f'<!doctype html><meta http-equiv="refresh" content="0;url={login}">'
    return HTMLResponse(f'{page}<a href="{login}">Log in</a>', status_code=status, headers=NO_STORE)


@router.get(sessions.ESTABLISH_PATH)
def establish(request: Request, code: str = "", next: str = "") -> Response:  # noqa: A002
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return _refused(403)
    with session_scope() as session:
        token = sessions.claim_handoff(
            session=session, code=code, user_agent=request.headers.get("user-agent", "")
        )
    if token is None:
        return _refused(403)  # unknown, used or expired
    response = _go(routes.safe_next(next))  # our own pages only: never another host
    response.set_cookie(
        sessions.SESSION_COOKIE,
        token,
        max_age=get_settings().session_ttl_hours * 3600,
        path="/",
        httponly=True,
        samesite="strict",
        secure=client_address.request_is_https(request),
    )
    return response


@router.post(sessions.END_PATH)
def end(request: Request) -> Response:
    token = request.cookies.get(sessions.SESSION_COOKIE)
    if not token:
        return _refused(401)
    with session_scope() as session:
        auth.logout(session=session, token=token)
    response = _go(routes.LOGIN)
    response.delete_cookie(
        sessions.SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="strict",
        secure=client_address.request_is_https(request),
    )
    return response
