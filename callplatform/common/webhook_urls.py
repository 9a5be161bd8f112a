"""The public URLs Twilio calls back on, built from PUBLIC_BASE_URL.

Each carries Twilio's connection overrides as a URL fragment (never sent to us, so not
part of what Twilio signs): retry up to 3 times when we answer 5xx (the database was
unavailable, see api/webhooks) or the connection fails or times out."""

from __future__ import annotations

from urllib.parse import urlencode

from callplatform.config import get_settings
from callplatform.telephony.types import WebhookUrls

VOICE_PATH = "/api/twilio/voice"
STATUS_PATH = "/api/twilio/status"
RECORDING_PATH = "/api/twilio/recording"
SMS_PATH = "/api/twilio/sms"
SMS_STATUS_PATH = "/api/twilio/sms-status"
RETRY_OVERRIDES = "#rc=3&rp=5xx,ct,rt"


def url(path: str, **query: str) -> str:
    """The public URL of one of our webhooks, with its query and retry overrides."""
    search = f"?{urlencode(query)}" if query else ""
    return f"{get_settings().base_url}{path}{search}{RETRY_OVERRIDES}"


def for_numbers() -> WebhookUrls:
    return WebhookUrls(
        voice_url=url(VOICE_PATH), status_callback=url(STATUS_PATH), sms_url=url(SMS_PATH)
    )
