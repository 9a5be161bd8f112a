"""Buying a number, crash-safe in three steps: a `pending` row claims the number (the
unique live index makes a double click or a rival buyer lose here), Twilio buys it, the
row becomes `active`. A pending row is never shown as owned. Whether a purchase whose
answer never came (a crash, a timeout) happened is asked of Twilio: by
`repair_pending_numbers` (the sweep), or at once when its owner retries it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from callplatform.billing import ledger
from callplatform.common import audit, phone_format, text_input, webhook_urls
from callplatform.common.errors import PhoneServiceError, ValidationError
from callplatform.common.phone_service import as_service_error, twilio_call
from callplatform.config import get_settings
from callplatform.db import end_transaction
from callplatform.models import CostKind, NumberStatus, UserPhoneNumber
from callplatform.models.base import utcnow
from callplatform.numbers import pricing
from callplatform.telephony import gateway
from callplatform.telephony.errors import NumberUnavailable, TelephonyError
from callplatform.tenancy import subaccounts
from callplatform.workspaces.access import Member, require_manager

MAX_NAME = 64
PENDING_GRACE = timedelta(minutes=2)
TAKEN = "That number was just taken by someone else. Pick another one."


def clean_name(name: str) -> str:
    return text_input.one_line(name, field="friendly_name", max_length=MAX_NAME)


def buy_number(
    *, session: Session, member: Member, phone_number: str, friendly_name: str = ""
) -> UserPhoneNumber:
    """Buy a number into the member's workspace (its admins and owners only)."""
    require_manager(member)
    e164 = phone_format.to_e164(phone_number)
    name = clean_name(friendly_name) or phone_format.display(e164)
    country = pricing.country_of(e164)
    price = pricing.monthly_price(country=country, toll_free=phone_format.is_toll_free(e164))
    workspace_id = member.workspace_id
    creds = subaccounts.ensure_subaccount(
        session=session, workspace_id=workspace_id, user_id=member.user_id
    )
    row = UserPhoneNumber(
        user_id=member.user_id,
        workspace_id=workspace_id,
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
        row = _earlier_attempt(session=session, workspace_id=workspace_id, e164=e164)
        if _settle(session=session, row=row, creds=creds):
            return row  # the earlier attempt did buy it
    try:
        bought = gateway.buy_number(
            creds, phone_number=e164, friendly_name=name, urls=webhook_urls.for_numbers()
        )
    except TelephonyError as exc:
        if not exc.outcome_unknown:  # else keep the claim: the purchase may have happened
            session.delete(row)
            session.commit()
        if isinstance(exc, NumberUnavailable):
            raise ValidationError(TAKEN, field="phone_number") from exc
        raise as_service_error(exc, field="phone_number") from exc
    _activate(
        session=session, row=row, sid=bought.sid, voice=bought.voice, sms=bought.sms, mms=bought.mms
    )
    audit.record(
        session=session,
        action="number.bought",
        actor_id=member.user_id,
        target_id=member.user_id,
        workspace_id=workspace_id,
        number=e164,
        name=name,
        monthly=f"{row.monthly_price} {row.price_unit}",
    )
    session.commit()
    return row


def _earlier_attempt(*, session: Session, workspace_id: int, e164: str) -> UserPhoneNumber:
    """The workspace's own pending claim on `e164`, once its attempt can no longer be in
    flight (Twilio's timeout has passed); else why this purchase can't go ahead."""
    row = session.exec(
        select(UserPhoneNumber).where(
            UserPhoneNumber.workspace_id == workspace_id,
            UserPhoneNumber.phone_number == e164,
            UserPhoneNumber.status == NumberStatus.PENDING,
        )
    ).first()
    if row is None:
        raise ValidationError(TAKEN, field="phone_number")
    wait = get_settings().twilio_timeout_seconds + 1
    if row.purchased_at > utcnow() - timedelta(seconds=wait):
        raise PhoneServiceError(
            "Your earlier purchase of this number is still being confirmed. "
            "Try again in a few seconds.",
            unavailable=True,
            field="phone_number",
            retry_after_seconds=int(wait),
        )
    return row


def _settle(*, session: Session, row: UserPhoneNumber, creds) -> bool:
    """Ask Twilio whether a pending purchase happened: if so the row becomes active."""
    end_transaction(session)
    with twilio_call(field="phone_number"):
        found = gateway.list_numbers(creds, phone_number=row.phone_number) if creds else []
    if found:
        n = found[0]
        _activate(session=session, row=row, sid=n.sid, voice=n.voice, sms=n.sms, mms=n.mms)
        session.commit()
    return bool(found)


def _activate(
    *, session: Session, row: UserPhoneNumber, sid: str, voice: bool, sms: bool, mms: bool
) -> None:
    row.phone_number_sid, row.status = sid, NumberStatus.ACTIVE
    row.voice_capable, row.sms_capable, row.mms_capable = voice, sms, mms
    session.add(row)
    session.flush()
    ledger.record_cost(
        session=session,
        workspace_id=row.workspace_id,
        kind=CostKind.NUMBER_MONTHLY,
        source_key=f"number:{sid}:{row.purchased_at:%Y-%m}",
        twilio_cost=row.monthly_price,
        currency=row.price_unit,
        number_id=row.id,
        description=f"Monthly fee for {phone_format.display(row.phone_number)}",
    )


def repair_pending_numbers(*, session: Session, older_than: timedelta = PENDING_GRACE) -> int:
    """Settle purchases a crash interrupted: bought at Twilio -> active, else forgotten."""
    stale = session.exec(
        select(UserPhoneNumber).where(
            UserPhoneNumber.status == NumberStatus.PENDING,
            UserPhoneNumber.purchased_at < utcnow() - older_than,
        )
    ).all()
    for row in stale:
        creds = subaccounts.get_credentials(session=session, workspace_id=row.workspace_id)
        if not _settle(session=session, row=row, creds=creds):
            session.delete(row)
            session.commit()
    return len(stale)
