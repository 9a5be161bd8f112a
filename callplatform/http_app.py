"""The HTTP side of the app as it ships: the api (webhooks, public API, media) and,
without Twilio credentials, the built-in Twilio sandbox mounted beside it, whose master
account is handed to telephony here, so neither api nor telephony imports the sandbox."""

from __future__ import annotations

from fastapi import FastAPI

from callplatform.api.app import build_api
from callplatform.config import get_settings
from callplatform.telephony import client
from callplatform.telephony.types import AccountCredentials

SANDBOX_MOUNT = "/_sandbox/twilio"


def build_http_app() -> FastAPI:
    api = build_api()
    if get_settings().uses_sandbox:
        import twilio_sandbox.app
        import twilio_sandbox.credentials

        api.mount(SANDBOX_MOUNT, twilio_sandbox.app.build_sandbox_app())
        client.use_platform_account(
            lambda: AccountCredentials(*twilio_sandbox.credentials.master_credentials())
        )
    return api
