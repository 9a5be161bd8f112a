"""The telephony operations the app performs, one import away.

Implemented in `accounts` (subaccounts), `numbers` (search, price, buy, update, release,
list), `apps` (TwiML apps, usage records), `calls`, `conferences` (live calls moved,
participants: hold, transfer) and `messages` (SMS/MMS, Messaging Services); re-exported
here so services depend on one module. Every function raises only `TelephonyError` (and
`ValueError` for misuse).
"""

from __future__ import annotations

from .accounts import create_subaccount, update_subaccount_status
from .apps import create_twiml_app, fetch_usage_records
from .calls import (
    delete_recording,
    fetch_call,
    fetch_recording,
    fetch_recording_media,
    hangup_call,
    list_calls,
    place_call,
)
from .conferences import (
    ParticipantInfo,
    add_participant,
    end_conference,
    find_conference,
    hold_participant,
    live_child_calls,
    move_call,
    remove_participant,
)
from .messages import (
    add_number_to_service,
    create_messaging_service,
    fetch_message,
    fetch_message_media,
    message_price,
    send_message,
)
from .numbers import (
    buy_number,
    list_numbers,
    number_price,
    release_number,
    search_numbers,
    update_number,
)
from .voice_tokens import create_api_key, voice_access_token

__all__ = [
    "ParticipantInfo",
    "add_participant",
    "end_conference",
    "find_conference",
    "hold_participant",
    "live_child_calls",
    "move_call",
    "remove_participant",
    "create_api_key",
    "voice_access_token",
    "delete_recording",
    "fetch_call",
    "fetch_recording",
    "fetch_recording_media",
    "hangup_call",
    "list_calls",
    "place_call",
    "buy_number",
    "create_subaccount",
    "create_twiml_app",
    "fetch_usage_records",
    "list_numbers",
    "number_price",
    "release_number",
    "search_numbers",
    "update_number",
    "update_subaccount_status",
    "add_number_to_service",
    "create_messaging_service",
    "fetch_message",
    "fetch_message_media",
    "message_price",
    "send_message",
]
