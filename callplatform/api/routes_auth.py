"""POST /api/auth/token: email and password give a short-lived JWT. Throttled exactly
like the login form (same service), plus a per-client request budget."""

from __future__ import annotations

from fastapi import APIRouter, Request

from callplatform import client_address
from callplatform.accounts import auth, bearer, rate_limit
from callplatform.api.errors import ERROR_RESPONSES
from callplatform.api.schemas import TokenRequest, TokenResponse
from callplatform.config import get_settings
from callplatform.db import session_scope

router = APIRouter(prefix="/api/auth", tags=["auth"], responses=ERROR_RESPONSES)


@router.post("/token", response_model=TokenResponse)
def issue_token(body: TokenRequest, request: Request) -> TokenResponse:
    """Exchange email and password for a bearer token that lasts 15 minutes.
    For long-running integrations, create a personal API token on the Settings page."""
    client = client_address.of_request(request)
    rate_limit.check(key=f"client:{client}", limit=get_settings().api_requests_per_minute)
    with session_scope() as session:
        user = auth.authenticate(
            session=session, email=body.email, password=body.password, client=client
        )
        token, lifetime = bearer.issue_access_token(user=user)
    return TokenResponse(access_token=token, expires_in=lifetime)
