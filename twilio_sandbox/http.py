"""Request plumbing shared by the sandbox's routes: Basic auth against its accounts,
form parsing, paging, and the sessions the handlers use."""

from __future__ import annotations

import base64
import binascii
import hmac

from sqlmodel import Session
from starlette.requests import Request

from twilio_sandbox import shapes
from twilio_sandbox.database import read_scope
from twilio_sandbox.models import SandboxAccount

MAX_PAGE_SIZE = 1000


class TwilioError(Exception):
    """Raised by handlers; answered as Twilio's JSON error."""

    def __init__(self, status: int, code: int, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self):
        return shapes.error(self.status, self.code, self.message)


def _basic_auth(request: Request) -> tuple[str, str]:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        raise TwilioError(401, 20003, "Authenticate")
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise TwilioError(401, 20003, "Authenticate") from None
    return user, password


def authorize(
    request: Request, session: Session, account_sid: str | None, *, fetching_account: bool = False
) -> SandboxAccount:
    """The account the URL names, if the caller's credentials may act on it: their own
    account, or (master credentials) one of its subaccounts. As at Twilio, a subaccount's
    credentials reach nothing of its parent's or its siblings'."""
    user, password = _basic_auth(request)
    caller = session.get(SandboxAccount, user)
    if caller is None or not hmac.compare_digest(caller.auth_token.encode(), password.encode()):
        raise TwilioError(401, 20003, "Authenticate")
    if caller.status != "active":
        raise TwilioError(401, 20005, "Account is not active")
    if account_sid is None or account_sid == caller.sid:
        return caller
    target = session.get(SandboxAccount, account_sid)
    if target is None or target.owner_account_sid != caller.sid:
        if fetching_account:  # GET /Accounts/{sid}.json: an account you can't see isn't there
            raise TwilioError(
                404, 20404, f"The requested resource /Accounts/{account_sid} was not found"
            )
        # Its resources are refused as Twilio does (error 20003 lists "using subaccount
        # credentials to access master account"), whether or not the account exists.
        raise TwilioError(401, 20003, "Authenticate")
    if target.status == "closed":
        raise TwilioError(401, 20005, "Account is not active")
    return target


def authorized_read(request: Request, account_sid: str | None) -> tuple[Session, SandboxAccount]:
    with read_scope() as session:
        return session, authorize(request, session, account_sid)


async def form(request: Request) -> dict[str, str]:
    data = await request.form()
    return {k: str(v) for k, v in data.items()}


def page_params(request: Request) -> tuple[int, int]:
    try:
        size = max(1, min(int(request.query_params.get("PageSize", 50)), MAX_PAGE_SIZE))
        page_no = max(0, int(request.query_params.get("Page", 0)))
    except ValueError:
        raise TwilioError(400, 20001, "Invalid paging parameter") from None
    return page_no, size


def list_page(request: Request, session: Session, query, key: str, shape) -> dict:
    page_no, size = page_params(request)
    rows = list(session.exec(query.offset(page_no * size).limit(size + 1)))
    return shapes.page(
        request,
        key,
        [shape(r) for r in rows[:size]],
        page_no=page_no,
        page_size=size,
        has_next=len(rows) > size,
    )


def first(session: Session, query):
    return session.exec(query).first()


def endpoint(fn):
    """Wrap a sync handler `fn(request, path, form) -> (status, body)`: read the form on
    the event loop, run the database work in the thread pool, answer Twilio-style."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse, Response

    async def handler(request: Request):
        data = await form(request) if request.method == "POST" else {}
        # Repeatable parameters (MediaUrl) in order; `form` keeps one value per name.
        raw = await request.form() if request.method == "POST" else None
        request.state.form_lists = {k: [str(v) for v in raw.getlist(k)] for k in raw} if raw else {}
        try:
            status, body = await run_in_threadpool(fn, request, request.path_params, data)
        except TwilioError as exc:
            return exc.response()
        if isinstance(body, Response):
            return body
        return Response(status_code=204) if body is None else JSONResponse(body, status_code=status)

    return handler
