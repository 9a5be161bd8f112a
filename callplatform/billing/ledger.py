"""Cost arithmetic (pure, Decimal) and the ledger rows that record it."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Date, Numeric, TextClause, bindparam, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from callplatform.billing import usage_to_date
from callplatform.config import get_settings
from callplatform.models import CostItem, CostKind
from callplatform.models.base import utcnow

CENT = Decimal("0.01")
PRICE_PLACES = Decimal("0.00001")  # Twilio reports prices to five places


def markup_amount(twilio_cost: Decimal, markup_percent: Decimal) -> Decimal:
    """The platform's share on top of Twilio's price."""
    return (abs(twilio_cost) * markup_percent / Decimal(100)).quantize(
        PRICE_PLACES, rounding=ROUND_HALF_UP
    )


def charge_for(twilio_cost: Decimal, markup_percent: Decimal) -> Decimal:
    """What the user pays: Twilio's price plus the markup. Twilio reports costs as
    negative numbers on calls; the ledger stores them positive."""
    return abs(twilio_cost) + markup_amount(twilio_cost, markup_percent)


def round_to_cent(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def record_cost(
    *,
    session: Session,
    workspace_id: int,
    kind: CostKind,
    source_key: str,
    twilio_cost: Decimal,
    currency: str = "USD",
    description: str = "",
    number_id: int | None = None,
    call_id: int | None = None,
    recording_id: int | None = None,
    call_seconds: int = 0,
    failed: bool = False,
    further_leg: bool = False,
    occurred_at: datetime | None = None,
    handled_by: int | None = None,
) -> CostItem:
    """Add a ledger line once per `source_key`; a repeat returns the existing line.
    The day's rollup moves in the same transaction, so the two never disagree.
    `further_leg`: another leg of a call already counted (a browser call is two legs at
    Twilio): its cost counts, but not as a second call. `occurred_at`: when the cost
    was incurred (now unless told), which day's rollups it moves. `handled_by`: the
    member whose call or text it was (Usage by member)."""
    existing = session.exec(select(CostItem).where(CostItem.source_key == source_key)).first()
    if existing:
        return existing
    percent = get_settings().markup_percent
    item = CostItem(
        workspace_id=workspace_id,
        handled_by=handled_by,
        kind=kind,
        source_key=source_key,
        currency=currency,
        twilio_cost=abs(twilio_cost),
        markup=markup_amount(twilio_cost, percent),
        charge=charge_for(twilio_cost, percent),
        description=description,
        number_id=number_id,
        call_id=call_id,
        recording_id=recording_id,
        occurred_at=occurred_at or utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(item)
    except IntegrityError:  # a concurrent writer recorded it first
        return session.exec(select(CostItem).where(CostItem.source_key == source_key)).one()
    is_call = kind == CostKind.CALL and not further_leg
    _roll_up(session, item, is_call=is_call, seconds=call_seconds, failed=failed)
    return item


_SUMS = ("calls", "failed_calls", "call_seconds", "twilio_cost", "markup")


def _upsert(table: str, keys: str) -> TextClause:
    """Add this line's figures to a rollup row, creating it on first use (both databases
    speak ON CONFLICT ... DO UPDATE)."""
    columns = keys.split(", ")
    adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in _SUMS)
    values = ", ".join(f":{c}" for c in [*columns, *_SUMS])
    return text(
        f"INSERT INTO {table} ({keys}, {', '.join(_SUMS)}) VALUES ({values}) "  # noqa: S608
        f"ON CONFLICT ({keys}) DO UPDATE SET {adds}"
    ).bindparams(
        bindparam("day", type_=Date()),
        bindparam("twilio_cost", type_=Numeric(14, 5)),
        bindparam("markup", type_=Numeric(14, 5)),
    )


_PER_WORKSPACE = _upsert("daily_usage", "day, workspace_id")
_PER_DAY = _upsert("daily_totals", "day")


def _roll_up(session: Session, item: CostItem, *, is_call: bool, seconds: int, failed: bool):
    day = item.occurred_at.date()
    total = usage_to_date.lock(session, workspace_id=item.workspace_id, day=day)
    new_day = usage_to_date.is_new_day(session, workspace_id=item.workspace_id, day=day)
    figures = {
        "day": day,
        "workspace_id": item.workspace_id,
        "calls": int(is_call),
        "failed_calls": int(is_call and failed),
        "call_seconds": seconds if is_call else 0,
        "twilio_cost": item.twilio_cost,
        "markup": item.markup,
    }
    session.execute(_PER_WORKSPACE, figures)
    session.execute(_PER_DAY, figures)
    spend = item.twilio_cost + item.markup
    usage_to_date.add(
        session, total, workspace_id=item.workspace_id, day=day, spend=spend, new_day=new_day
    )
