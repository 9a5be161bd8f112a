"""Usage by member, as the page shows it: each member's calls and texts, then the numbers'
monthly fees (nobody's call) as "Number fees", to the cent and adding up to the total
shown, as every other breakdown does (`billing/shown.py`)."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import select

from callplatform.billing import ledger, usage
from callplatform.billing.shown import NUMBER_FEES, shown_usage
from callplatform.db import session_scope
from callplatform.models import CostKind, User
from tests.workspaces.team_helpers import MEMBER, as_member, shared, users

D = Decimal


def _seed() -> tuple[int, int]:
    """Sales: Ann (owner), Ben and Cat (members), each with a call of 1.5 cents, and a
    number's fee of 1.5 cents: 6 cents in all, 8 if each line were rounded on its own."""
    ann, ben, cat = users("ann", "ben", "cat")
    sales = shared(ann, ben=(ben, MEMBER), cat=(cat, MEMBER))
    with session_scope() as s:
        for user_id, name in ((ann, "Ann"), (ben, "Ben")):  # Cat chose no name: her email
            s.get(User, user_id).display_name = name
        lines = [(ann, CostKind.CALL), (ben, CostKind.CALL), (cat, CostKind.MESSAGE)]
        lines.append((None, CostKind.NUMBER_MONTHLY))
        for i, (who, kind) in enumerate(lines):
            ledger.record_cost(
                session=s,
                workspace_id=sales,
                kind=kind,
                source_key=f"by-member:{i}",
                twilio_cost=D("-0.0125"),  # + 20% markup: a charge of 0.015
                handled_by=who,
            )
    return ann, sales


def test_by_member_is_to_the_cent_and_adds_up_to_the_total(db_url):
    ann, sales = _seed()
    with session_scope() as s:
        summary = usage.get_summary(
            session=s, member=as_member(ann, sales), month=usage.Month.current()
        )
    assert summary.total == D("0.06")
    assert sorted(name for name, _ in summary.by_member) == ["", "Ann", "Ben", "cat@example.com"]
    naive = sum(ledger.round_to_cent(v) for _, v in summary.by_member)
    assert naive == D("0.08")  # what rounding each member's line on its own would show
    shown = shown_usage(summary)
    assert shown.total == D("0.06")
    assert sum(v for _, v in shown.by_member) == shown.total
    assert all(v in (D("0.01"), D("0.02")) for _, v in shown.by_member)
    assert shown.by_member[-1][0] == NUMBER_FEES  # the fees last, under their own name
    assert {name for name, _ in shown.by_member[:-1]} == {"Ann", "Ben", "cat@example.com"}


def test_a_member_sees_only_their_own_line(db_url):
    _ann, sales = _seed()
    with session_scope() as s:
        ben = s.exec(select(User.id).where(User.email == "ben@example.com")).one()
        summary = usage.get_summary(
            session=s, member=as_member(ben, sales), month=usage.Month.current()
        )
    shown = shown_usage(summary)
    assert shown.by_member == [("Ben", D("0.02"))] and shown.total == D("0.02")
