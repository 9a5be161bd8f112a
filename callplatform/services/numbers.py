"""A user's phone numbers: search, buy, rename, record setting, release, repair.

Buying is crash-safe in three steps: a `pending` row claims the number (the unique live
index makes a double click or a rival buyer lose here), Twilio buys it, the row becomes
`active`. A pending row is never shown as owned; `repair_pending_numbers` settles any a
crash left behind by asking Twilio whether the purchase happened.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from callplatform.db import end_transaction
from callplatform.models import CostKind, NumberStatus, UserPhoneNumber
from callplatform.models.base import utcnow
from callplatform.services import costs, phone_format, pricing, subaccounts, webhook_urls
from callplatform.services.errors import NotFound, ValidationError
from callplatform.telephony import gateway
from callplatform.telephony.errors import NumberUnavailable, TelephonyError
from callplatform.telephony.types import AvailableNumber

MAX_NAME = 64
PENDING_GRACE = timedelta(minutes=2)
TAKEN = "That number was just taken by someone else. Pick another one."


def list_numbers(*, session: Session, owner_id: int) -> list[UserPhoneNumber]:
    return list(
        session.exec(
            select(UserPhoneNumber)
            .where(
                UserPhoneNumber.user_id == owner_id, UserPhoneNumber.status == NumberStatus.ACTIVE
            )
            .order_by(col(UserPhoneNumber.purchased_at).desc())
        )
    )


def get_number(*, session: Session, owner_id: int, number_id: int) -> UserPhoneNumber:
    """The owner's active number; anyone else's is 'not found', never 'forbidden'."""
    row = session.get(UserPhoneNumber, number_id) if isinstance(number_id, int) else None
    if row is None or row.user_id != owner_id or row.status != NumberStatus.ACTIVE:
        raise NotFound("That number isn't one of yours.")
    return row


def search_numbers(
    *, area_code: str = "", contains: str = "", country: str = "US", toll_free: bool = False
) -> list[AvailableNumber]:
    area_code, contains, country = area_code.strip(), contains.strip(), country.strip().upper()
    if country not in pricing.COUNTRIES:
        raise ValidationError("Choose the United States or Canada.", field="country")
    if area_code and not re.fullmatch(r"[2-9]\d{2}", area_code):
        raise ValidationError("An area code is three digits, like 415.", field="area_code")
    if contains and not re.fullmatch(r"[0-9*]{1,10}", contains):
        raise ValidationError("Use up to 10 digits (and * for any digit).", field="contains")
    return gateway.search_numbers(
        pricing.platform_credentials(),
        country=country,
        area_code=area_code or None,
        contains=contains or None,
        toll_free=toll_free,
        limit=20,
    )


def buy_number(
    *, session: Session, owner_id: int, phone_number: str, friendly_name: str = ""
) -> UserPhoneNumber:
    e164 = phone_format.to_e164(phone_number)
    name = _clean_name(friendly_name) or phone_format.display(e164)
    country = pricing.country_of(e164)
    price = pricing.monthly_price(country=country, toll_free=phone_format.is_toll_free(e164))
    creds = subaccounts.ensure_subaccount(session=session, user_id=owner_id)
    row = UserPhoneNumber(
        user_id=owner_id,
        phone_number=e164,
        friendly_name=name,
        country=country,
        status=NumberStatus.PENDING,
        monthly_price=price.monthly,
        price_unit=price.unit,
    )
    session.add(row)
    try:
        session.commit()  # the claim is durable before any money is spent
    except IntegrityError:
        session.rollback()
        raise ValidationError(TAKEN, field="phone_number") from None
    try:
        bought = gateway.buy_number(
            creds, phone_number=e164, friendly_name=name, urls=webhook_urls.for_numbers()
        )
    except TelephonyError as exc:
        session.delete(row)
        session.commit()
        message = TAKEN if isinstance(exc, NumberUnavailable) else exc.user_message
        raise ValidationError(message, field="phone_number") from exc
    _activate(
        session=session, row=row, sid=bought.sid, voice=bought.voice, sms=bought.sms, mms=bought.mms
    )
    session.commit()
    return row


def _activate(
    *, session: Session, row: UserPhoneNumber, sid: str, voice: bool, sms: bool, mms: bool
) -> None:
    row.phone_number_sid, row.status = sid, NumberStatus.ACTIVE
    row.voice_capable, row.sms_capable, row.mms_capable = voice, sms, mms
    session.add(row)
    session.flush()
    costs.record_cost(
        session=session,
        user_id=row.user_id,
        kind=CostKind.NUMBER_MONTHLY,
        source_key=f"number:{sid}:{row.purchased_at:%Y-%m}",
        twilio_cost=row.monthly_price,
        currency=row.price_unit,
        number_id=row.id,
        description=f"Monthly fee for {phone_format.display(row.phone_number)}",
    )


def rename_number(*, session: Session, owner_id: int, number_id: int, friendly_name: str):
    row = get_number(session=session, owner_id=owner_id, number_id=number_id)
    name = _clean_name(friendly_name)
    if not name:
        raise ValidationError("Give the number a name.", field="friendly_name")
    creds = subaccounts.get_credentials(session=session, user_id=owner_id)
    end_transaction(session)
    try:
        gateway.update_number(creds, sid=row.phone_number_sid, friendly_name=name)
    except TelephonyError as exc:
        raise ValidationError(exc.user_message, field="friendly_name") from exc
    row.friendly_name = name
    session.add(row)
    return row


def set_call_recording(*, session: Session, owner_id: int, number_id: int, enabled: bool):
    row = get_number(session=session, owner_id=owner_id, number_id=number_id)
    row.record_calls = bool(enabled)
    session.add(row)
    return row


def release_number(*, session: Session, owner_id: int, number_id: int) -> UserPhoneNumber:
    """Release at Twilio, then mark released; calls and costs stay in the history."""
    row = get_number(session=session, owner_id=owner_id, number_id=number_id)
    creds = subaccounts.get_credentials(session=session, user_id=owner_id)
    end_transaction(session)
    try:
        gateway.release_number(creds, sid=row.phone_number_sid)  # already gone is fine
    except TelephonyError as exc:
        raise ValidationError(exc.user_message) from exc
    row.status, row.released_at = NumberStatus.RELEASED, utcnow()
    session.add(row)
    return row


def repair_pending_numbers(*, session: Session, older_than: timedelta = PENDING_GRACE) -> int:
    """Settle purchases a crash interrupted: bought at Twilio -> active, else forgotten."""
    stale = session.exec(
        select(UserPhoneNumber).where(
            UserPhoneNumber.status == NumberStatus.PENDING,
            UserPhoneNumber.purchased_at < utcnow() - older_than,
        )
    ).all()
    for row in stale:
        creds = subaccounts.get_credentials(session=session, user_id=row.user_id)
        end_transaction(session)
        found = gateway.list_numbers(creds, phone_number=row.phone_number) if creds else []
        if found:
            n = found[0]
            _activate(session=session, row=row, sid=n.sid, voice=n.voice, sms=n.sms, mms=n.mms)
        else:
            session.delete(row)
        session.commit()
    return len(stale)


def _clean_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if len(name) > MAX_NAME:
        raise ValidationError(f"Use at most {MAX_NAME} characters.", field="friendly_name")
    return name
