"""The public API's request and response shapes (they are its OpenAPI document).
Money is a decimal string, so no client ever rounds a price through a float."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, Field

from callplatform.common import ids, text_input

Money = str


def _no_control(value: str | None) -> str | None:
    # PostgreSQL refuses NUL outright and nothing we store has a use for control
    # characters: refuse them here, with a sentence, before any work is done.
    if value is not None and text_input.has_control(value):
        raise ValueError("must not contain control characters")
    return value


def _representable(value: datetime) -> datetime:
    # A far-off date with an offset (year 1 at +14:00) has no UTC value to compare with.
    try:
        value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC).astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range") from None
    return value


def Text(max_length: int):  # noqa: N802  (a type, used like one)
    """A body field: at most `max_length` characters, no control characters."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_no_control)]


# For query and header parameters, beside their Query(max_length=...)/Header(...): FastAPI
# keeps validators given in Annotated, but not a Field's constraints there.
NoControl = AfterValidator(_no_control)
# Ids are positive and fit the INTEGER columns that hold them: a 40-digit id is
# malformed (422), not the id of nobody's row.
PathId = Annotated[int, Path(ge=1, le=ids.MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=ids.MAX_ID)]
Instant = Annotated[datetime, AfterValidator(_representable)]


class ErrorBody(BaseModel):
    code: str = Field(description="Stable and machine-readable, e.g. `not_found`.")
    message: str = Field(description="Fit to show a person.")
    field: str | None = Field(None, description="The input the error is about, if any.")


class ErrorResponse(BaseModel):
    error: ErrorBody


class TokenRequest(BaseModel):
    email: Text(254)
    password: Text(1024)


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
    phone_number: Text(32) = Field(description="One from /numbers/available.")
    friendly_name: Text(64) = ""


class UpdateNumberRequest(BaseModel):
    friendly_name: Text(64) | None = None
    record_calls: bool | None = None


class NumberMembers(BaseModel):
    user_ids: list[Annotated[int, Field(ge=1, le=ids.MAX_ID)]] = Field(
        max_length=200, description="The members (user ids) who may use the number."
    )


class NumberAssignment(BaseModel):
    number_id: int
    user_ids: list[int]


class CallRequest(BaseModel):
    from_number: Text(32) = Field(description="One of your numbers: the caller ID.")
    to: Text(32) = Field(description="Who to connect, in any common format.")
    my_phone: Text(32) = Field(description="Your own phone, rung first.")


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
    other_party_name: str | None = Field(
        None, description="The workspace's contact holding the other party's number, if any."
    )


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
    total: Money  # what you pay; Twilio's cost and the markup are for admins
    by_kind: list[AmountByKey]
    by_number: list[AmountByKey]
    # Whose calls and texts they were (a member's name; "" for a number's monthly fee).
    by_member: list[AmountByKey] = []
    daily: list[AmountByKey]
    call_minutes: int
    recording_minutes: int
