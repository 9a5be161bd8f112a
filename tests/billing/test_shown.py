"""One rounding rule for money shown: the total is the exact ledger total rounded half-up
once; every breakdown is apportioned by largest remainder so it adds up to that total."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import select

from callplatform.accounts import auth
from callplatform.billing import ledger, usage
from callplatform.billing.shown import NO_NUMBER, apportion, shown_usage
from callplatform.db import session_scope
from callplatform.models import CostItem, CostKind, UserPhoneNumber
from callplatform.workspaces import membership
from tests.helpers import member_of

D = Decimal


def test_apportion_adds_up_to_the_rounded_total():
    assert apportion([D("0.015"), D("0.015"), D("0.015")]) == [D("0.02"), D("0.02"), D("0.01")]
    assert apportion([D("1.3800"), D("0.0504"), D("0.0030")]) == [D("1.38"), D("0.05"), D("0")]
    assert apportion([]) == []
    parts = [D("0.00956")] * 151  # many sub-cent calls: the bill is the exact sum, rounded
    shown = apportion(parts)
    assert sum(shown) == ledger.round_to_cent(sum(parts)) == D("1.44")
    assert all(abs(s - p) < D("0.01") for s, p in zip(shown, parts, strict=True))


def seed_sub_cent_month(session, email: str = "ann@example.com"):
    """Three lines of 1.5 cents each, on two numbers and none, on three days: rounded on
    their own they make 6 cents; their total is 4.5 cents, billed as 5."""
    ann = auth.create_user(session=session, email=email, password="long enough pw")
    workspace_id = membership.personal_workspace_id(session=session, user_id=ann.id)
    numbers = []
    for i in range(2):
        n = UserPhoneNumber(
            user_id=ann.id,
            workspace_id=workspace_id,
            phone_number=f"+1415555{ann.id:02d}{i:02d}",
            phone_number_sid=f"PN{ann.id:016d}{i:016d}",
        )
        session.add(n)
        numbers.append(n)
    session.flush()
    lines = [("c1", CostKind.CALL, numbers[0].id), ("c2", CostKind.CALL, numbers[1].id)]
    lines.append(("r1", CostKind.RECORDING, None))
    for key, kind, number_id in lines:
        ledger.record_cost(
            session=session,
            workspace_id=workspace_id,
            kind=kind,
            source_key=f"{email}:{key}",
            twilio_cost=D("-0.0125"),  # + 20% markup: a charge of 0.015
            number_id=number_id,
        )
    start = usage.Month.current().start
    items = session.exec(select(CostItem).where(CostItem.workspace_id == workspace_id)).all()
    for day, item in enumerate(sorted(items, key=lambda i: i.source_key), start=1):
        item.occurred_at = start.replace(day=day, hour=12)
        session.add(item)
    return ann.id


def test_every_breakdown_agrees_with_the_total_to_the_cent(db_url):
    with session_scope() as s:
        ann_id = seed_sub_cent_month(s)
    with session_scope() as s:
        summary = usage.get_summary(
            session=s, member=member_of(ann_id), month=usage.Month.current()
        )
    assert summary.total == D("0.045")
    naive = sum(ledger.round_to_cent(v) for _, v in summary.daily)
    assert naive == D("0.06")  # what rounding each day on its own showed
    shown = shown_usage(summary)
    assert shown.total == D("0.05")
    assert sum(shown.by_kind.values()) == shown.total
    assert sum(v for _, v in shown.by_number) == shown.total
    assert sum(v for _, v in shown.daily) == shown.total
    assert shown.twilio_cost + shown.markup == shown.total
    assert [k for k, _ in shown.by_number][-1] == NO_NUMBER  # the recording has no number
    assert len(shown.daily) == 3
