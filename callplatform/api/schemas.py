"""The public API's request and response shapes (they are its OpenAPI document).
Money is a decimal string, so no client ever rounds a price through a float."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Money = str


class ErrorBody(BaseModel):
    code: str = Field(description="Stable and machine-readable, e.g. `not_found`.")
    message: str = Field(description="Fit to show a person.")
    field: str | None = Field(None, description="The input the error is about, if any.")


class ErrorResponse(BaseModel):
    error: ErrorBody


class TokenRequest(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


class Capabilities(BaseModel):
    voice: bool
    sms: bool
    mms: bool


class PhoneNumber(BaseModel):
    id: int
    phone_number: str = Field(description="E.164, e.g. +14155550100.")
    display: str = Field(description="Formatted for people, e.g. +1 (415) 555-0100.")
    friendly_name: str
    country: str
    record_calls: bool
    monthly_price: Money | None
    price_unit: str
    purchased_at: datetime
    capabilities: Capabilities


class AvailableNumber(BaseModel):
    phone_number: str
    display: str
    locality: str
    region: str
    country: str
    capabilities: Capabilities


class BuyNumberRequest(BaseModel):
    phone_number: str = Field(max_length=32, description="One from /numbers/available.")
    friendly_name: str = Field("", max_length=64)


class UpdateNumberRequest(BaseModel):
    friendly_name: str | None = Field(None, max_length=64)
    record_calls: bool | None = None


class CallRequest(BaseModel):
    from_number: str = Field(max_length=32, description="One of your numbers: the caller ID.")
    to: str = Field(max_length=32, description="Who to connect, in any common format.")
    my_phone: str = Field(max_length=32, description="Your own phone, rung first.")


class Call(BaseModel):
    id: int
    call_sid: str
    parent_call_sid: str | None
    direction: Literal["inbound", "outbound"]
    from_number: str
    to_number: str
    number_id: int | None
    status: str
    missed: bool
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    duration_seconds: int | None
    charge: Money | None = Field(description="What you pay for its minutes, markup included.")


class CallPage(BaseModel):
    calls: list[Call]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class CallEvent(BaseModel):
    status: str
    sequence: int | None
    received_at: datetime


class Recording(BaseModel):
    id: int
    call_id: int | None
    duration_seconds: int
    is_voicemail: bool
    created_at: datetime
    media_url: str = Field(description="Our authenticated route to the audio (WAV).")


class CallDetail(BaseModel):
    call: Call
    events: list[CallEvent]
    recordings: list[Recording]


class RecordingList(BaseModel):
    recordings: list[Recording]


class AmountByKey(BaseModel):
    key: str
    charge: Money


class Usage(BaseModel):
    month: str
    currency: str = "USD"
    total: Money
    twilio_cost: Money
    markup: Money
    by_kind: list[AmountByKey]
    by_number: list[AmountByKey]
    daily: list[AmountByKey]
    call_minutes: int
    recording_minutes: int
