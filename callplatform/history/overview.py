"""What the dashboard shows a user about their own account each morning: recent and
missed calls, voicemails, their numbers and this month's spend against the cap. Lists are
short (DASHBOARD_ROWS) and every query seeks an index led by the user's id."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlmodel import Session, col, select

from callplatform.billing import spend
from callplatform.billing.ledger import round_to_cent
from callplatform.models import (
    CallDirection,
    NumberStatus,
    TwilioCall,
    TwilioRecording,
    User,
    UserPhoneNumber,
)

DASHBOARD_ROWS = 10


@dataclass
class Overview:
    recent_calls: list[TwilioCall] = field(default_factory=list)
    missed_calls: list[TwilioCall] = field(default_factory=list)
    voicemails: list[tuple[TwilioRecording, str]] = field(default_factory=list)  # (rec, caller)
    numbers: list[UserPhoneNumber] = field(default_factory=list)
    month_spend: Decimal = Decimal("0")  # to the cent, as the Usage page's total
    cap: Decimal = Decimal("0")
    cap_percent: int = 0


def _newest_calls(session: Session, owner_id: int, *where) -> list[TwilioCall]:
    # (user_id, started_at, id) index, walked newest first.
    return list(
        session.exec(
            select(TwilioCall)
            .where(TwilioCall.user_id == owner_id, *where)
            .order_by(col(TwilioCall.started_at).desc(), col(TwilioCall.id).desc())
            .limit(DASHBOARD_ROWS)
        )
    )


def get_overview(*, session: Session, user: User) -> Overview:
    owner_id = user.id
    voicemails = session.exec(
        select(TwilioRecording, TwilioCall)
        .join(TwilioCall, TwilioCall.id == TwilioRecording.call_id, isouter=True)
        .where(
            TwilioRecording.user_id == owner_id,
            TwilioRecording.is_voicemail.is_(True),
            TwilioRecording.deleted_at.is_(None),
        )
        .order_by(col(TwilioRecording.created_at).desc(), col(TwilioRecording.id).desc())
        .limit(DASHBOARD_ROWS)
    ).all()
    numbers = session.exec(
        select(UserPhoneNumber)
        .where(UserPhoneNumber.user_id == owner_id, UserPhoneNumber.status == NumberStatus.ACTIVE)
        .order_by(col(UserPhoneNumber.id))
        .limit(DASHBOARD_ROWS)
    )
    return Overview(
        recent_calls=_newest_calls(session, owner_id),
        missed_calls=_newest_calls(
            session,
            owner_id,
            TwilioCall.direction == CallDirection.INBOUND,
            TwilioCall.missed.is_(True),
        ),
        voicemails=[(rec, call.from_number if call else "") for rec, call in voicemails],
        numbers=list(numbers),
        month_spend=round_to_cent(spend.month_spend(session=session, user_id=owner_id)),
        cap=spend.effective_cap(session=session, user=user),
        cap_percent=spend.cap_usage_percent(session=session, user=user),
    )
