"""What texts cost: Twilio prices a message (per segment, and per MMS) only once it has
gone out or come in, and tells no callback, so the sweep fetches each priced message
once and puts it in the ledger with the platform's markup, like a call."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, select

from callplatform.billing import ledger
from callplatform.common import phone_format
from callplatform.db import end_transaction
from callplatform.messaging.receiving import FINAL
from callplatform.models import CostKind, Message, UserPhoneNumber
from callplatform.models.base import utcnow
from callplatform.telephony import gateway
from callplatform.telephony.errors import NotFound, TelephonyError
from callplatform.tenancy import subaccounts

BATCH = 200
# Twilio may price a message a little after its last status; and a message nobody will
# ever price (lost at Twilio) is not asked about forever.
SETTLE = timedelta(seconds=5)
GIVE_UP = timedelta(days=3)


def price_messages(*, session: Session, settle: timedelta = SETTLE) -> int:
    """Fetch the price of finished messages still without one; returns how many got one."""
    now = utcnow()
    rows = session.exec(
        select(Message)
        .where(
            col(Message.price).is_(None),
            col(Message.message_sid).is_not(None),
            or_(col(Message.status).in_(FINAL), Message.status == "received"),
            Message.updated_at < now - settle,
            Message.updated_at > now - GIVE_UP,
        )
        .order_by(Message.id)
        .limit(BATCH)
    ).all()
    priced = 0
    for row in rows:
        number = session.get(UserPhoneNumber, row.number_id)
        creds = subaccounts.get_credentials(session=session, workspace_id=number.workspace_id)
        end_transaction(session)  # no lock held while Twilio answers
        try:
            info = gateway.fetch_message(creds, sid=row.message_sid)
        except NotFound:
            continue
        except TelephonyError:
            return priced  # unreachable: the next round tries again
        if info.price is None:
            continue
        _bill(session, session.get(Message, row.id), number, abs(info.price), info.price_unit)
        session.commit()
        priced += 1
    return priced


def _bill(session: Session, message: Message, number: UserPhoneNumber, cost, unit) -> None:
    message.price, message.price_unit = cost, unit or "USD"
    session.add(message)
    way = "to" if message.direction == "outbound" else "from"
    party = message.to_number if message.direction == "outbound" else message.from_number
    parts = f"{message.segments} segment" + ("s" if message.segments != 1 else "")
    ledger.record_cost(
        session=session,
        workspace_id=number.workspace_id,
        handled_by=message.sent_by if message.direction == "outbound" else None,
        kind=CostKind.MESSAGE,
        source_key=f"message:{message.message_sid}",
        twilio_cost=cost,
        currency=message.price_unit,
        number_id=number.id,
        description=f"Text {way} {phone_format.display(party)} ({parts})",
        occurred_at=message.created_at,
    )
