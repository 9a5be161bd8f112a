"""Every public API error is JSON with a stable code and a message for people:
`{"error": {"code": "not_found", "message": "...", "field": null}}`.
Rate limits answer 429 with `Retry-After`."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from callplatform.api.schemas import ErrorResponse
from callplatform.services.errors import RateLimited, ServiceError

STATUS_BY_CODE = {
    "unauthenticated": 401,
    "forbidden": 403,
    "not_found": 404,
    "idempotency_in_progress": 409,
    "rate_limited": 429,
}
# Documented on every public route, so clients (and schemathesis) know the shape.
ERROR_RESPONSES = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in {
        401: "Missing, expired or revoked credentials.",
        404: "Not found, or not yours.",
        422: "The request is not valid; `field` names the input.",
        429: "Too many requests; see Retry-After.",
    }.items()
}


def error_response(
    status: int, code: str, message: str, field: str | None = None, headers: dict | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "field": field}}
    return JSONResponse(body, status_code=status, headers=headers)


def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
    headers = None
    if isinstance(exc, RateLimited):
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
    codes = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
    return error_response(
        exc.status_code,
        codes.get(exc.status_code, f"http_{exc.status_code}"),
        str(exc.detail),
        headers=getattr(exc, "headers", None),
    )


def install(api: FastAPI) -> None:
    api.add_exception_handler(ServiceError, _service_error)
    api.add_exception_handler(RequestValidationError, _invalid_request)
    api.add_exception_handler(HTTPException, _http_error)
