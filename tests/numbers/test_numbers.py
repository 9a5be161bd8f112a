"""Numbers per workspace (each user's personal one here), against the sandbox over real
HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from callplatform.common.errors import NotFound, ValidationError
from callplatform.common.webhook_urls import for_numbers
from callplatform.db import session_scope
from callplatform.models import CostItem, NumberStatus, TwilioSubaccount, UserPhoneNumber
from callplatform.numbers import inventory
from callplatform.telephony import gateway
from callplatform.tenancy import crypto, subaccounts
from tests.helpers import make_user, member_of, personal_workspace


def buy(owner_id: int, phone_number: str, name: str = ""):
    with session_scope() as s:
        return inventory.buy_number(
            session=s, member=member_of(owner_id), phone_number=phone_number, friendly_name=name
        )


def first_offer(area_code="415", **kw) -> str:
    return inventory.search_numbers(area_code=area_code, **kw)[0].phone_number


def test_search_buy_rename_release(telephony):
    ann = make_user("ann@example.com")
    offers = inventory.search_numbers(area_code="415")
    assert offers and all(o.phone_number.startswith("+1415") for o in offers)
    row = buy(ann, offers[0].phone_number, "Office")
    assert row.status == NumberStatus.ACTIVE and row.phone_number_sid.startswith("PN")
    assert row.friendly_name == "Office" and row.voice_capable
    assert row.monthly_price == Decimal("1.15")

    with session_scope() as s:
        sub = s.exec(select(TwilioSubaccount)).one()
        assert sub.auth_token_encrypted != crypto.decrypt(sub.auth_token_encrypted)
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(ann))
        cost = s.exec(select(CostItem)).one()
        assert (cost.twilio_cost, cost.charge) == (Decimal("1.15"), Decimal("1.38"))
    at_twilio = gateway.list_numbers(creds)
    assert [n.sid for n in at_twilio] == [row.phone_number_sid]
    # Twilio retries our webhooks on 5xx as the connection overrides ask.
    assert at_twilio[0].voice_url.endswith("/api/twilio/voice#rc=3&rp=5xx,ct,rt")

    with session_scope() as s:
        inventory.rename_number(
            session=s, member=member_of(ann), number_id=row.id, friendly_name="Sales"
        )
    assert gateway.list_numbers(creds)[0].friendly_name == "Sales"

    with session_scope() as s:
        inventory.release_number(session=s, member=member_of(ann), number_id=row.id)
    assert gateway.list_numbers(creds) == []
    with session_scope() as s:
        assert inventory.list_numbers(session=s, member=member_of(ann)) == []
        kept = s.get(UserPhoneNumber, row.id)
        assert kept.status == NumberStatus.RELEASED and kept.released_at
        assert s.exec(select(CostItem)).one()  # the cost history stays


def test_one_subaccount_per_user(telephony):
    ann = make_user("ann@example.com")
    buy(ann, first_offer())
    buy(ann, first_offer())
    with session_scope() as s:
        assert len(s.exec(select(TwilioSubaccount)).all()) == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"area_code": "41"}, "area_code"),
        ({"area_code": "abc"}, "area_code"),
        ({"contains": "12-34"}, "contains"),
        ({"country": "ZZ"}, "country"),
    ],
)
def test_bad_search_input(telephony, kwargs, field):
    with pytest.raises(ValidationError) as err:
        inventory.search_numbers(**kwargs)
    assert err.value.field == field


def test_bad_number_changes_nothing(telephony):
    ann = make_user("ann@example.com")
    with pytest.raises(ValidationError, match="not a phone number"):
        buy(ann, "call me maybe")
    with session_scope() as s:
        assert s.exec(select(UserPhoneNumber)).all() == []


def test_other_users_numbers_are_not_found(telephony):
    ann, bob = make_user("ann@example.com"), make_user("bob@example.com")
    row = buy(ann, first_offer())
    for action, extra in (
        (inventory.rename_number, {"friendly_name": "mine"}),
        (inventory.release_number, {}),
        (inventory.set_call_recording, {"enabled": True}),
    ):
        with session_scope() as s, pytest.raises(NotFound):
            action(session=s, member=member_of(bob), number_id=row.id, **extra)
    with session_scope() as s:
        assert inventory.list_numbers(session=s, member=member_of(bob)) == []
        mine = s.get(UserPhoneNumber, row.id)
        assert mine.status == NumberStatus.ACTIVE and mine.friendly_name == row.friendly_name
        assert not mine.record_calls


def test_two_users_race_for_one_number(telephony):
    ann, bob = make_user("ann@example.com"), make_user("bob@example.com")
    for uid in (ann, bob):  # subaccounts exist, so the race is about the number alone
        with session_scope() as s:
            subaccounts.ensure_subaccount(
                session=s, workspace_id=personal_workspace(uid), user_id=uid
            )
    target = first_offer()
    results, barrier = {}, threading.Barrier(2)

    def attempt(uid):
        barrier.wait()
        try:
            results[uid] = buy(uid, target).id
        except ValidationError as exc:
            results[uid] = exc.message

    threads = [threading.Thread(target=attempt, args=(uid,)) for uid in (ann, bob)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    winners = [v for v in results.values() if isinstance(v, int)]
    losers = [v for v in results.values() if isinstance(v, str)]
    assert len(winners) == 1 and losers == [inventory.TAKEN]
    with session_scope() as s:
        live = s.exec(select(UserPhoneNumber).where(UserPhoneNumber.status != "released")).all()
        assert [r.id for r in live] == winners


def test_double_click_buys_once(telephony):
    ann = make_user("ann@example.com")
    target = first_offer()
    buy(ann, target)
    with pytest.raises(ValidationError, match="taken"):
        buy(ann, target)


def test_repair_settles_a_purchase_interrupted_by_a_crash(telephony):
    ann = make_user("ann@example.com")
    with session_scope() as s:
        creds = subaccounts.ensure_subaccount(
            session=s, workspace_id=personal_workspace(ann), user_id=ann
        )
    bought_at_twilio, never_bought = first_offer(), inventory.search_numbers(area_code="212")[0]
    # The crash: Twilio sold the number, but the process died before the row was updated.
    gateway.buy_number(creds, phone_number=bought_at_twilio, friendly_name="x", urls=for_numbers())
    with session_scope() as s:
        for phone in (bought_at_twilio, never_bought.phone_number):
            s.add(
                UserPhoneNumber(
                    user_id=ann,
                    workspace_id=personal_workspace(ann),
                    phone_number=phone,
                    status=NumberStatus.PENDING,
                    monthly_price=Decimal("1.15"),
                )
            )
    with session_scope() as s:
        assert (
            inventory.list_numbers(session=s, member=member_of(ann)) == []
        )  # pending is not owned
        assert inventory.repair_pending_numbers(session=s, older_than=timedelta(0)) == 2
    with session_scope() as s:
        owned = inventory.list_numbers(session=s, member=member_of(ann))
        assert [r.phone_number for r in owned] == [bought_at_twilio]
        assert owned[0].phone_number_sid.startswith("PN")
        assert len(s.exec(select(UserPhoneNumber)).all()) == 1


def test_a_number_is_bought_as_named_in_its_own_country(telephony):
    """What a purchase keeps and tells Twilio: the name asked for (or the number written
    for people, when none), and the number's own country (a Canadian number is CA)."""
    ann = make_user("ann@example.com")
    named = buy(ann, first_offer("415"), "Front desk")
    with session_scope() as s:  # no name given at all
        unnamed = inventory.buy_number(
            session=s, member=member_of(ann), phone_number=first_offer("416", country="CA")
        )
    with session_scope() as s:
        creds = subaccounts.get_credentials(session=s, workspace_id=personal_workspace(ann))
    at_twilio = {n.sid: n.friendly_name for n in gateway.list_numbers(creds)}
    assert at_twilio[named.phone_number_sid] == "Front desk"
    assert (
        unnamed.friendly_name
        == at_twilio[unnamed.phone_number_sid]
        == (
            f"+1 ({unnamed.phone_number[2:5]}) {unnamed.phone_number[5:8]}-{unnamed.phone_number[8:]}"
        )
    )
    assert (named.country, unnamed.country) == ("US", "CA")
    with session_scope() as s:
        assert s.get(UserPhoneNumber, unnamed.id).country == "CA"
    # Searching leaves the country out: the United States.
    assert all(o.phone_number.startswith("+1") for o in inventory.search_numbers(area_code="212"))
