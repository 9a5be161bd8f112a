"""The sandbox over real HTTP for the messaging tests: subaccounts with a number each
whose SmsUrl is a local receiver that keeps every webhook."""

from __future__ import annotations

import pytest

from callplatform import config
from callplatform.telephony import client
from callplatform.telephony.client import make_client
from callplatform.telephony.types import AccountCredentials
from tests.sandbox.webhook_receiver import WebhookReceiver
from twilio_sandbox.credentials import master_credentials


@pytest.fixture
def sandbox(sqlite_db, live_api, monkeypatch):
    """(receiver, subaccount(name) -> (credentials, its number)); SQLite only: the
    sandbox keeps its own SQLite database whatever the app's is."""
    monkeypatch.setenv("TWILIO_API_BASE_URL", f"{live_api}/_sandbox/twilio")
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.02")
    config.reset_settings()
    client.clear_client_cache()
    receiver = WebhookReceiver()
    sid, token = master_credentials()
    master = AccountCredentials(sid=sid, auth_token=token)

    def subaccount(name: str) -> tuple[AccountCredentials, str]:
        made = make_client(master).api.v2010.accounts.create(friendly_name=name)
        creds = AccountCredentials(sid=made.sid, auth_token=made.auth_token)
        number = make_client(creds).incoming_phone_numbers.create(
            area_code="415", sms_url=f"{receiver.url}/sms/{name}"
        )
        return creds, number.phone_number

    yield receiver, subaccount
    from twilio_sandbox import message_delivery

    message_delivery.wait_idle()
    receiver.close()
    client.clear_client_cache()
