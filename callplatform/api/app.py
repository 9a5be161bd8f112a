"""The HTTP front door beside the UI: webhooks, the public API and the media routes,
on the app's one port (`callplatform.http_app` adds the built-in sandbox)."""

from __future__ import annotations

from fastapi import FastAPI

from callplatform.api import errors
from callplatform.config import get_settings

API_DESCRIPTION = (
    "Your numbers, calls, recordings and usage. Authenticate with "
    "`Authorization: Bearer <token>`: a 15-minute JWT from `POST /api/auth/token`, or a "
    "personal API token from Settings. Errors are JSON: "
    '`{"error": {"code", "message", "field"}}`; 429 answers carry `Retry-After`. 502: '
    "Twilio refused the request; 503: Twilio or the database is unavailable (with "
    "`Retry-After` when known), so the same request can be sent again later."
)


def build_api() -> FastAPI:
    settings = get_settings()
    api = FastAPI(
        title="CallPlatform API",
        version="1.0.0",
        description=API_DESCRIPTION,
        docs_url=None,  # served by api.docs, from the app itself
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )

    @api.get("/api/health", include_in_schema=False)
    def health() -> dict:
        return {"status": "ok", "telephony": "sandbox" if settings.uses_sandbox else "twilio"}

    errors.install(api)
    from callplatform.api.webhooks import status_route

    api.router.routes.insert(0, status_route)  # served first when reached through the api
    for router in _routers():
        api.include_router(router)
    return api


def with_fast_paths(app, *, status_context=None):
    """The outermost wrappers (an ASGI app in, one out): the guards (body caps, security
    headers) in front of everything, the status callback's fast path included; then
    status callbacks are answered ahead of every layer below (all of Reflex's, FastAPI's
    stack), inside `status_context()` when given (what a layer skipped would have set)."""
    from callplatform.api.guards import Guards
    from callplatform.api.webhooks import StatusFastPath

    return Guards(StatusFastPath(app, context=status_context))


def _routers() -> list:
    """Routers register here as features land."""
    from callplatform.api import (
        docs,
        media,
        media_messages,
        routes_account,
        routes_auth,
        routes_calls,
        routes_contacts,
        routes_messages,
        routes_numbers,
        routes_workspaces,
        session_cookie,
        webhooks,
        webhooks_conference,
        webhooks_messages,
        webhooks_routing,
    )

    return [
        docs.router,
        webhooks.router,
        webhooks_messages.router,
        webhooks_routing.router,
        webhooks_conference.router,
        media.router,
        media_messages.router,
        session_cookie.router,
        routes_auth.router,
        routes_numbers.router,
        routes_calls.router,
        routes_messages.router,
        routes_contacts.router,
        routes_account.router,
        routes_workspaces.router,
    ]
