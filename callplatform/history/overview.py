"""What the dashboard shows a user about their own account."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, func, select

from callplatform.models import NumberStatus, TwilioCall, TwilioRecording, UserPhoneNumber


@dataclass(frozen=True)
class Overview:
    numbers: int
    calls: int
    missed_calls: int
    voicemails: int


def get_overview(*, session: Session, owner_id: int) -> Overview:
    def count(query) -> int:
        return session.exec(query).one()

    return Overview(
        numbers=count(
            select(func.count())
            .select_from(UserPhoneNumber)
            .where(
                UserPhoneNumber.user_id == owner_id, UserPhoneNumber.status == NumberStatus.ACTIVE
            )
        ),
        calls=count(
            select(func.count()).select_from(TwilioCall).where(TwilioCall.user_id == owner_id)
        ),
        missed_calls=count(
            select(func.count())
            .select_from(TwilioCall)
            .where(
                TwilioCall.user_id == owner_id,
                TwilioCall.direction == "inbound",
                TwilioCall.missed.is_(True),
            )
        ),
        voicemails=count(
            select(func.count())
            .select_from(TwilioRecording)
            .where(
                TwilioRecording.user_id == owner_id,
                TwilioRecording.is_voicemail.is_(True),
                TwilioRecording.deleted_at.is_(None),
            )
        ),
    )
