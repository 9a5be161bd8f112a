"""User B, holding their own session, calls every Numbers handler with A's ids: nothing
of A's is shown or changed. An anonymous client gets nothing at all."""

from __future__ import annotations

from sqlmodel import select

from callplatform.db import session_scope
from callplatform.models import NumberStatus, UserPhoneNumber
from callplatform.numbers import inventory
from callplatform.pages.numbers.state import NumbersState
from tests.helpers import make_user, member_of
from tests.state.harness import call, login_token, state_for

PASSWORD = "long enough pw"


def _snapshot():
    with session_scope() as s:
        return [
            (r.id, r.user_id, r.friendly_name, r.status, r.record_calls)
            for r in s.exec(select(UserPhoneNumber))
        ]


def test_b_cannot_touch_a_numbers_through_handlers(telephony):
    ann = make_user("ann@example.com")
    make_user("bob@example.com")
    offer = inventory.search_numbers(area_code="415")[0].phone_number
    with session_scope() as s:
        a_number = inventory.buy_number(session=s, member=member_of(ann), phone_number=offer).id
    before = _snapshot()

    bob = state_for(NumbersState, login_token("bob@example.com", PASSWORD))
    call(bob, "load")
    assert bob.numbers == []
    call(bob, "start_edit", a_number)
    assert bob.edit_id == 0  # A's number is not in B's list, so nothing to edit
    bob.edit_id, bob.edit_name = a_number, "stolen"  # a client can set vars (setvar)
    call(bob, "save_edit")
    assert "isn't one of yours" in bob.edit_error
    call(bob, "set_recording", a_number, True)
    bob.release_id = a_number
    call(bob, "confirm_release")
    call(bob, "buy", offer)  # A owns it: B can't buy it out from under them
    assert _snapshot() == before
    with session_scope() as s:
        assert s.get(UserPhoneNumber, a_number).status == NumberStatus.ACTIVE


def test_anonymous_client_is_bounced(telephony):
    ann = make_user("ann@example.com")
    offer = inventory.search_numbers(area_code="415")[0].phone_number
    with session_scope() as s:
        a_number = inventory.buy_number(session=s, member=member_of(ann), phone_number=offer).id
    before = _snapshot()
    for token in ("", "forged-token", "x" * 500):
        anon = state_for(NumbersState, token)
        for name, args in (
            ("load", ()),
            ("start_edit", (a_number,)),
            ("save_edit", ()),
            ("set_recording", (a_number, True)),
            ("confirm_release", ()),
            ("buy", (offer,)),
            ("search", ({},)),
        ):
            anon.edit_id = anon.release_id = a_number
            out = call(anon, name, *args)
            assert anon.numbers == [] and anon.offers == []
            assert any("redirect" in repr(o).lower() or "/login" in repr(o) for o in out), name
    assert _snapshot() == before
