"""Plain values the telephony gateway hands to the rest of the app.

These are the only shapes that leave `callplatform.telephony`: no SDK instance ever
does, so services never depend on the `twilio` package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class AccountCredentials:
    """A Twilio account (the platform's or a user's subaccount) and its auth token."""

    sid: str
    # Kept out of repr so a logged or printed value never leaks the token.
    auth_token: str = field(repr=False)


@dataclass(frozen=True)
class AvailableNumber:
    """A number Twilio offers for purchase."""

    phone_number: str
    friendly_name: str
    locality: str
    region: str
    country: str
    voice: bool
    sms: bool
    mms: bool


@dataclass(frozen=True)
class OwnedNumber:
    """A number bought into an account (an IncomingPhoneNumber)."""

    sid: str
    phone_number: str
    friendly_name: str
    voice: bool
    sms: bool
    mms: bool
    voice_url: str | None
    account_sid: str


@dataclass(frozen=True)
class NumberPrice:
    """Twilio's current monthly price for one kind of number in one country."""

    monthly: Decimal
    unit: str


@dataclass(frozen=True)
class WebhookUrls:
    """Where Twilio sends a number's calls, call status changes and messages."""

    voice_url: str
    status_callback: str
    sms_url: str


@dataclass(frozen=True)
class CallInfo:
    """A call as Twilio reports it. Prices are negative, as Twilio gives them."""

    sid: str
    parent_call_sid: str | None
    account_sid: str
    status: str
    direction: str
    from_number: str
    to_number: str
    duration: int | None
    price: Decimal | None
    price_unit: str | None


@dataclass(frozen=True)
class RecordingInfo:
    sid: str
    call_sid: str
    account_sid: str
    duration: int | None
    status: str
    price: Decimal | None
    price_unit: str | None


@dataclass(frozen=True)
class MessageInfo:
    """An SMS or MMS as Twilio reports it. Prices are negative, as Twilio gives them;
    `from_number` is None while a Messaging Service has not yet picked its sender."""

    sid: str
    account_sid: str
    status: str
    direction: str
    from_number: str | None
    to_number: str
    body: str
    num_segments: int | None
    num_media: int
    price: Decimal | None
    price_unit: str | None
    error_code: int | None
    messaging_service_sid: str | None


@dataclass(frozen=True)
class MessagingServiceInfo:
    """A Messaging Service: a pool of sender numbers and where its messages report."""

    sid: str
    account_sid: str
    friendly_name: str


@dataclass(frozen=True)
class MessagePrice:
    """Twilio's current price of one SMS segment sent from and received at a kind of
    number in a country; outbound is the dearest carrier's (the recipient's is unknown)."""

    outbound_per_segment: Decimal
    inbound_per_segment: Decimal
    unit: str
