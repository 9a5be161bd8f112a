"""Rows to API shapes: the one place that decides what of a row a client sees."""

from __future__ import annotations

from decimal import Decimal

from callplatform.api import schemas
from callplatform.common import phone_format
from callplatform.models import TwilioCall, TwilioRecording, UserPhoneNumber
from callplatform.telephony.types import AvailableNumber


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def number(row: UserPhoneNumber) -> schemas.PhoneNumber:
    return schemas.PhoneNumber(
        id=row.id,
        phone_number=row.phone_number,
        display=phone_format.display(row.phone_number),
        friendly_name=row.friendly_name,
        country=row.country,
        record_calls=row.record_calls,
        monthly_price=money(row.monthly_price),
        price_unit=row.price_unit,
        purchased_at=row.purchased_at,
        capabilities=schemas.Capabilities(
            voice=row.voice_capable, sms=row.sms_capable, mms=row.mms_capable
        ),
    )


def available(item: AvailableNumber) -> schemas.AvailableNumber:
    return schemas.AvailableNumber(
        phone_number=item.phone_number,
        display=phone_format.display(item.phone_number),
        locality=item.locality,
        region=item.region,
        country=item.country,
        capabilities=schemas.Capabilities(voice=item.voice, sms=item.sms, mms=item.mms),
    )


def call(row: TwilioCall, charge: Decimal | None, name: str | None = None) -> schemas.Call:
    return schemas.Call(
        id=row.id,
        call_sid=row.call_sid,
        parent_call_sid=row.parent_call_sid,
        direction=row.direction,
        from_number=row.from_number,
        to_number=row.to_number,
        number_id=row.number_id,
        status=row.status,
        missed=row.missed,
        started_at=row.started_at,
        answered_at=row.answered_at,
        ended_at=row.ended_at,
        duration_seconds=row.duration_seconds,
        charge=money(charge),
        other_party_name=name,
    )


def recording(row: TwilioRecording) -> schemas.Recording:
    return schemas.Recording(
        id=row.id,
        call_id=row.call_id,
        duration_seconds=row.duration_seconds,
        is_voicemail=row.is_voicemail,
        created_at=row.created_at,
        media_url=f"/api/twilio/recordings/{row.id}/media",
    )
