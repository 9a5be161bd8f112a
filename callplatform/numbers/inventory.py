"""A workspace's phone numbers: search, rename, record setting, release (its admins and
owners; a member lists the numbers assigned to them); buying and the repair of
interrupted purchases live in `purchase` and are re-exported here.
"""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from callplatform.common import audit, ids
from callplatform.common.errors import NotFound, ValidationError
from callplatform.common.phone_service import twilio_call
from callplatform.db import end_transaction
from callplatform.models import NumberStatus, UserPhoneNumber
from callplatform.models.base import utcnow
from callplatform.numbers import pricing
from callplatform.numbers.purchase import (  # noqa: F401  (this service's face)
    MAX_NAME,
    PENDING_GRACE,
    TAKEN,
    buy_number,
    clean_name,
    repair_pending_numbers,
)
from callplatform.telephony import gateway
from callplatform.telephony.types import AvailableNumber
from callplatform.tenancy import subaccounts
from callplatform.workspaces.access import Member


def list_numbers(*, session: Session, member: Member) -> list[UserPhoneNumber]:
    """The workspace's active numbers the member may use (an admin or owner: all)."""
    query = select(UserPhoneNumber).where(
        UserPhoneNumber.workspace_id == member.workspace_id,
        UserPhoneNumber.status == NumberStatus.ACTIVE,
    )
    if not member.manages:
        query = query.where(col(UserPhoneNumber.id).in_(sorted(member.number_ids)))
    return list(session.exec(query.order_by(col(UserPhoneNumber.purchased_at).desc())))


def get_number(*, session: Session, member: Member, number_id: int) -> UserPhoneNumber:
    """An active number of the workspace whose settings the member may change (its
    admins and owners); anyone else's is 'not found', never 'forbidden'."""
    row = session.get(UserPhoneNumber, number_id) if ids.is_id(number_id) else None
    if (
        row is None
        or not member.manages
        or row.workspace_id != member.workspace_id
        or row.status != NumberStatus.ACTIVE
    ):
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
    with twilio_call(fields={"AreaCode": "area_code"}):
        return gateway.search_numbers(
            pricing.platform_credentials(),
            country=country,
            area_code=area_code or None,
            contains=contains or None,
            toll_free=toll_free,
            limit=20,
        )


def rename_number(*, session: Session, member: Member, number_id: int, friendly_name: str):
    row = get_number(session=session, member=member, number_id=number_id)
    name = clean_name(friendly_name)
    if not name:
        raise ValidationError("Give the number a name.", field="friendly_name")
    creds = subaccounts.get_credentials(session=session, workspace_id=row.workspace_id)
    end_transaction(session)
    with twilio_call(field="friendly_name"):
        gateway.update_number(creds, sid=row.phone_number_sid, friendly_name=name)
    row.friendly_name = name
    session.add(row)
    return row


def set_call_recording(*, session: Session, member: Member, number_id: int, enabled: bool):
    row = get_number(session=session, member=member, number_id=number_id)
    row.record_calls = bool(enabled)
    session.add(row)
    return row


def release_number(*, session: Session, member: Member, number_id: int) -> UserPhoneNumber:
    """Release at Twilio, then mark released; calls and costs stay in the history."""
    row = get_number(session=session, member=member, number_id=number_id)
    creds = subaccounts.get_credentials(session=session, workspace_id=row.workspace_id)
    end_transaction(session)
    with twilio_call():
        gateway.release_number(creds, sid=row.phone_number_sid)  # already gone is fine
    row.status, row.released_at = NumberStatus.RELEASED, utcnow()
    session.add(row)
    audit.record(
        session=session,
        action="number.released",
        actor_id=member.user_id,
        target_id=member.user_id,
        workspace_id=member.workspace_id,
        number=row.phone_number,
        name=row.friendly_name,
    )
    return row
