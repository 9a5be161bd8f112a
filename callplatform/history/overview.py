"""What the dashboard shows a member each morning: recent and missed calls and voicemails
(those they see: `visibility`), the numbers they may use, and this month's spend against
the cap (the workspace's; a member's own calls' when they are not an admin). Lists are
short (DASHBOARD_ROWS) and every query seeks an index led by the workspace's id."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from sqlmodel import Session, col, select

from callplatform.billing import spend
from callplatform.billing.ledger import round_to_cent
from callplatform.history import visibility
from callplatform.models import CallDirection, TwilioCall, TwilioRecording, UserPhoneNumber
from callplatform.numbers import inventory
from callplatform.workspaces.access import Member

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


def _newest_calls(session: Session, member: Member, *where) -> list[TwilioCall]:
    # (workspace_id, started_at, id) index, walked newest first.
    return list(
        session.exec(
            select(TwilioCall)
            .where(*visibility.call_conditions(member), *where)
            .order_by(col(TwilioCall.started_at).desc(), col(TwilioCall.id).desc())
            .limit(DASHBOARD_ROWS)
        )
    )


def get_overview(*, session: Session, member: Member) -> Overview:
    workspace_id = member.workspace_id
    voicemails = session.exec(
        select(TwilioRecording, TwilioCall)
        .join(TwilioCall, TwilioCall.id == TwilioRecording.call_id, isouter=True)
        .where(
            *visibility.recording_conditions(member),
            TwilioRecording.is_voicemail.is_(True),
            TwilioRecording.deleted_at.is_(None),
        )
        .order_by(col(TwilioRecording.created_at).desc(), col(TwilioRecording.id).desc())
        .limit(DASHBOARD_ROWS)
    ).all()
    numbers = sorted(inventory.list_numbers(session=session, member=member), key=attrgetter("id"))
    own = None if member.manages else member.user_id
    return Overview(
        recent_calls=_newest_calls(session, member),
        missed_calls=_newest_calls(
            session,
            member,
            TwilioCall.direction == CallDirection.INBOUND,
            TwilioCall.missed.is_(True),
        ),
        voicemails=[(rec, call.from_number if call else "") for rec, call in voicemails],
        numbers=numbers[:DASHBOARD_ROWS],
        month_spend=round_to_cent(
            spend.month_spend(session=session, workspace_id=workspace_id, handled_by=own)
        ),
        cap=spend.effective_cap(session=session, workspace_id=workspace_id),
        cap_percent=spend.cap_usage_percent(session=session, workspace_id=workspace_id),
    )
