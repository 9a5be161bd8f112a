"""The purchase-repair sweep settles only what a crash left behind: pending rows older
than the grace period, each asked of Twilio with its own workspace's account. Active and
released numbers, and a purchase still in progress, are never touched."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from callplatform.accounts import auth
from callplatform.common.webhook_urls import for_numbers
from callplatform.db import session_scope
from callplatform.models import CostItem, CostKind, NumberStatus, UserPhoneNumber
from callplatform.models.base import utcnow
from callplatform.numbers import inventory
from callplatform.telephony import gateway
from callplatform.tenancy import subaccounts
from tests.helpers import member_of, personal_workspace


def _user(email: str, *, subaccount: bool = True):
    with session_scope() as s:
        uid = auth.create_user(session=s, email=email, password="long enough pw").id
    if not subaccount:
        return uid, None
    with session_scope() as s:
        return uid, subaccounts.ensure_subaccount(
            session=s, workspace_id=personal_workspace(uid), user_id=uid
        )


def _row(uid: int, phone: str, status: NumberStatus, age: timedelta, sid: str | None = None):
    with session_scope() as s:
        row = UserPhoneNumber(user_id=uid, workspace_id=personal_workspace(uid),
                              phone_number=phone, status=status, phone_number_sid=sid,
                              monthly_price=Decimal("1.15"),
                              purchased_at=utcnow() - age)  # fmt: skip
        s.add(row)
        s.flush()
        return row.id


def _bought(creds, phone: str) -> str:
    """Twilio sold the number (the crash came before our row was updated)."""
    return gateway.buy_number(creds, phone_number=phone, friendly_name="x", urls=for_numbers()).sid


def _state(row_id: int):
    with session_scope() as s:
        row = s.get(UserPhoneNumber, row_id)
        return None if row is None else (row.status, row.phone_number_sid)


def test_repair_settles_old_pending_rows_and_nothing_else(telephony):
    (ann, ann_creds), (bob, bob_creds) = _user("ann@example.com"), _user("bob@example.com")
    cal, _ = _user("cal@example.com", subaccount=False)
    offers = [o.phone_number for o in inventory.search_numbers(area_code="415")[:8]]
    old, young = timedelta(minutes=2, seconds=30), timedelta(minutes=1, seconds=30)
    active_sid = _bought(ann_creds, offers[0])
    active = _row(ann, offers[0], NumberStatus.ACTIVE, timedelta(days=40), active_sid)
    released = _row(ann, offers[1], NumberStatus.RELEASED, timedelta(days=40))
    young_bought = _row(ann, offers[2], NumberStatus.PENDING, young)
    young_sid = _bought(ann_creds, offers[2])  # still in flight: Twilio has just sold it
    young_unbought = _row(bob, offers[3], NumberStatus.PENDING, young)
    old_bought = _row(ann, offers[4], NumberStatus.PENDING, old)
    old_sid = _bought(ann_creds, offers[4])
    bobs_bought = _row(bob, offers[5], NumberStatus.PENDING, old)
    bobs_sid = _bought(bob_creds, offers[5])  # found only with Bob's own account
    old_unbought = _row(ann, offers[6], NumberStatus.PENDING, old)
    no_account = _row(cal, offers[7], NumberStatus.PENDING, old)

    with session_scope() as s:
        assert inventory.repair_pending_numbers(session=s) == 4

    assert _state(active) == (NumberStatus.ACTIVE, active_sid)
    assert _state(released) == (NumberStatus.RELEASED, None)
    assert _state(young_bought) == (NumberStatus.PENDING, None) and young_sid
    assert _state(young_unbought) == (NumberStatus.PENDING, None)
    assert _state(old_bought) == (NumberStatus.ACTIVE, old_sid)
    assert _state(bobs_bought) == (NumberStatus.ACTIVE, bobs_sid)
    assert _state(old_unbought) is None and _state(no_account) is None
    with session_scope() as s:
        fees = s.exec(select(CostItem).order_by(CostItem.number_id)).all()
        assert [(f.workspace_id, f.kind, f.number_id, f.twilio_cost) for f in fees] == [
            (personal_workspace(ann), CostKind.NUMBER_MONTHLY, old_bought, Decimal("1.15")),
            (personal_workspace(bob), CostKind.NUMBER_MONTHLY, bobs_bought, Decimal("1.15")),
        ]
        assert [f.handled_by for f in fees] == [None, None]  # a number's fee is nobody's call
        assert fees[0].source_key.startswith(f"number:{old_sid}:")
        mine = inventory.list_numbers(session=s, member=member_of(ann))
        assert sorted(r.id for r in mine) == sorted([active, old_bought])


def test_a_second_sweep_finds_nothing_left(telephony):
    (ann, creds) = _user("ann@example.com")
    phone = inventory.search_numbers(area_code="415")[0].phone_number
    row = _row(ann, phone, NumberStatus.PENDING, timedelta(minutes=5))
    sid = _bought(creds, phone)
    with session_scope() as s:
        assert inventory.repair_pending_numbers(session=s) == 1
    with session_scope() as s:
        assert inventory.repair_pending_numbers(session=s) == 0
        assert inventory.repair_pending_numbers(session=s, older_than=timedelta(0)) == 0
    assert _state(row) == (NumberStatus.ACTIVE, sid)
    with session_scope() as s:
        assert len(s.exec(select(CostItem)).all()) == 1


def test_a_users_numbers_are_their_active_ones_newest_first(sqlite_db):
    ann, _ = _user("ann@example.com", subaccount=False)
    bob, _ = _user("bob@example.com", subaccount=False)
    old = _row(ann, "+14155550101", NumberStatus.ACTIVE, timedelta(days=9), "PN" + "1" * 32)
    new = _row(ann, "+14155550102", NumberStatus.ACTIVE, timedelta(days=1), "PN" + "2" * 32)
    mid = _row(ann, "+14155550103", NumberStatus.ACTIVE, timedelta(days=5), "PN" + "3" * 32)
    _row(ann, "+14155550104", NumberStatus.PENDING, timedelta(0))
    _row(ann, "+14155550105", NumberStatus.RELEASED, timedelta(days=3))
    _row(bob, "+14155550106", NumberStatus.ACTIVE, timedelta(days=2), "PN" + "6" * 32)
    with session_scope() as s:
        assert [r.id for r in inventory.list_numbers(session=s, member=member_of(ann))] == [
            new,
            mid,
            old,
        ]


def _buy(uid: int, phone: str):
    with session_scope() as s:
        return inventory.buy_number(session=s, member=member_of(uid), phone_number=phone)


def test_a_purchase_retried_after_its_answer_was_lost_is_settled(telephony):
    """The first attempt's claim is still pending (its answer never came): the retry
    waits while it may be in flight, then asks Twilio rather than buying twice."""
    from callplatform.common.errors import PhoneServiceError, ValidationError

    (ann, creds), (bob, _) = _user("ann@example.com"), _user("bob@example.com")
    offers = [o.phone_number for o in inventory.search_numbers(area_code="415")[:3]]
    in_flight = _row(ann, offers[0], NumberStatus.PENDING, timedelta(seconds=10))
    with pytest.raises(PhoneServiceError) as err:
        _buy(ann, offers[0])
    assert (err.value.field, err.value.retry_after_seconds) == ("phone_number", 16)
    assert _state(in_flight) == (NumberStatus.PENDING, None)
    with pytest.raises(ValidationError, match="taken") as err:
        _buy(bob, offers[0])  # someone else's claim: taken, however old
    assert err.value.field == "phone_number"

    bought = _row(ann, offers[1], NumberStatus.PENDING, timedelta(seconds=20))
    sid = _bought(creds, offers[1])  # the lost answer: Twilio did sell it
    assert _buy(ann, offers[1]).id == bought
    assert _state(bought) == (NumberStatus.ACTIVE, sid)

    never = _row(ann, offers[2], NumberStatus.PENDING, timedelta(seconds=20))
    row = _buy(ann, offers[2])  # Twilio never sold it: bought now, on the same claim
    assert row.id == never and _state(never)[0] == NumberStatus.ACTIVE
    with session_scope() as s:
        assert len(gateway.list_numbers(creds)) == 2
        fees = s.exec(select(CostItem.number_id).order_by(CostItem.number_id)).all()
        assert fees == [bought, never]


def test_a_number_id_no_row_can_have_is_not_found(sqlite_db):
    from callplatform.common.errors import NotFound

    ann, _ = _user("ann@example.com", subaccount=False)
    row = _row(ann, "+14155550101", NumberStatus.ACTIVE, timedelta(days=1), "PN" + "1" * 32)
    with session_scope() as s:
        assert inventory.get_number(session=s, member=member_of(ann), number_id=row).id == row
        for number_id in (2**64, -row, str(row)):
            with pytest.raises(NotFound):
                inventory.get_number(session=s, member=member_of(ann), number_id=number_id)


def test_a_numbers_name_is_one_line_of_at_most_64_characters():
    from callplatform.common.errors import ValidationError
    from callplatform.numbers import purchase

    assert purchase.clean_name("  Front   desk\n") == "Front desk"
    assert purchase.clean_name("x" * 64) == "x" * 64
    with pytest.raises(ValidationError) as err:
        purchase.clean_name("x" * 65)
    assert err.value.field == "friendly_name"


def test_a_purchase_and_a_release_are_audited_as_the_owners(telephony):
    from callplatform.common import audit
    from callplatform.models import Role, User

    ann, _ = _user("ann@example.com")
    with session_scope() as s:
        root = auth.create_user(session=s, email="root@example.com", password="long enough pw",
                                role=Role.ADMIN).id  # fmt: skip
    row = _buy(ann, inventory.search_numbers(area_code="415")[0].phone_number)
    with session_scope() as s:
        inventory.release_number(session=s, member=member_of(ann), number_id=row.id)
    with session_scope() as s:
        for action in ("number.bought", "number.released"):
            events = audit.list_events(session=s, actor=s.get(User, root), action=action)
            assert [(e.actor_user_id, e.target_user_id, e.detail["number"]) for e in events] == [
                (ann, ann, row.phone_number)
            ], action


def test_a_search_asks_for_what_was_asked(telephony):
    offers = inventory.search_numbers(area_code="212", contains="0123")
    assert 0 < len(offers) <= 20 and all(o.phone_number.startswith("+1212") for o in offers)
    assert all(o.phone_number.endswith("0123") for o in offers)
    toll_free = inventory.search_numbers(toll_free=True)
    assert toll_free and all(o.phone_number[2:5] in {"800", "833", "844", "855", "866", "877", "888"}
                             for o in toll_free)  # fmt: skip
    canadian = inventory.search_numbers(country=" ca ", area_code="604")
    assert canadian and all(o.phone_number.startswith("+1604") for o in canadian)
    assert len(inventory.search_numbers()) == 20
