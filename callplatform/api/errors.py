"""Every public API error is JSON with a stable code and a message for people:
`{"error": {"code": "not_found", "message": "...", "field": null}}`.
Rate limits answer 429 with `Retry-After`. When Twilio refuses a request the answer is
502 (`twilio_error`); when Twilio can't be reached, times out, is overloaded or refuses
the platform's credentials, 503 (`twilio_unavailable`); when the database can't be
reached, 503 (`database_unavailable`). A 503 carries `Retry-After` when we know it."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from callplatform.api.schemas import ErrorResponse
from callplatform.common.errors import ServiceError

STATUS_BY_CODE = {
    "unauthenticated": 401,
    "forbidden": 403,
    "not_found": 404,
    "idempotency_in_progress": 409,
    "rate_limited": 429,
    "twilio_error": 502,
    "twilio_unavailable": 503,
}
# Seconds a client should wait after the database failed us: a restart or a failover.
DATABASE_RETRY_AFTER = 5
# Documented on every public route, so clients (and schemathesis) know the shape.
ERROR_RESPONSES = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in {
        400: "The body could not be read (not UTF-8 JSON).",
        401: "Missing, expired or revoked credentials.",
        404: "Not found, or not yours.",
        413: "The body is larger than this route accepts.",
        422: "The request is not valid; `field` names the input.",
        429: "Too many requests; see Retry-After.",
        502: "The phone service (Twilio) refused the request; `message` says why.",
        503: "The phone service or the database is unavailable; see Retry-After if sent.",
    }.items()
}


def error_response(
    status: int, code: str, message: str, field: str | None = None, headers: dict | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "field": field}}
    return JSONResponse(body, status_code=status, headers=headers)


def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
    headers = None
    if getattr(exc, "retry_after_seconds", None):
        headers = {"Retry-After": str(exc.retry_after_seconds)}
    if exc.code == "unauthenticated":
        headers = {"WWW-Authenticate": "Bearer"}
    status = STATUS_BY_CODE.get(exc.code, 422)
    return error_response(status, exc.code, exc.message, exc.field, headers)


def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0] if exc.errors() else {}
    where = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    field = ".".join(where) or None
    message = first.get("msg", "The request is not valid.")
    return error_response(
        422, "invalid_request", f"{field}: {message}" if field else message, field
    )


def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
    codes = {
        400: "bad_request",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
    }
    return error_response(
        exc.status_code,
        codes.get(exc.status_code, f"http_{exc.status_code}"),
        str(exc.detail),
        headers=getattr(exc, "headers", None),
    )


def _database_unavailable(_request: Request, _exc: Exception) -> JSONResponse:
    """The database is down, restarting or out of connections: nothing was done, and
    the same request can be sent again shortly."""
    return error_response(
        503,
        "database_unavailable",
        "The service is briefly unavailable. Try again in a few seconds.",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
    )


def install(api: FastAPI) -> None:
    api.add_exception_handler(ServiceError, _service_error)
    # Only the failures of reaching the database: a query the database refuses (bad
    # data, a constraint) is a bug to fix at its cause, not a 503.
    for unreachable in (OperationalError, InterfaceError, PoolTimeout):
        api.add_exception_handler(unreachable, _database_unavailable)
    api.add_exception_handler(RequestValidationError, _invalid_request)
    api.add_exception_handler(HTTPException, _http_error)
