"""The public URLs Twilio calls back on, built from PUBLIC_BASE_URL."""

from __future__ import annotations

from callplatform.config import get_settings
from callplatform.telephony.types import WebhookUrls

VOICE_PATH = "/api/twilio/voice"
STATUS_PATH = "/api/twilio/status"
RECORDING_PATH = "/api/twilio/recording"
SMS_PATH = "/api/twilio/sms"


def url(path: str) -> str:
    return f"{get_settings().base_url}{path}"


def for_numbers() -> WebhookUrls:
    return WebhookUrls(
        voice_url=url(VOICE_PATH), status_callback=url(STATUS_PATH), sms_url=url(SMS_PATH)
    )
