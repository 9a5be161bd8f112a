"""Transfers to a teammate's browser, over real HTTP with the sandbox playing Twilio: the
teammate's client is dialled into the conference, their softphone is offered the call and
takes or declines it; their leg is their call. Only someone in the team, online, and not
the member themself."""

from __future__ import annotations

import pytest
from sqlmodel import select

from callplatform import config
from callplatform.accounts import auth
from callplatform.calls import browser_calls, presence
from callplatform.common.errors import NotFound, ValidationError
from callplatform.db import session_scope
from callplatform.models import ClientPresence, TwilioCall, WorkspaceMember
from callplatform.numbers import inventory
from callplatform.routing import transfer_members as members
from tests.helpers import member_of, personal_workspace, wait_for, wait_for_db
from tests.routing.test_hold_transfer import _call_out, _conf, _end, _participants, _path

PW = "long enough pw"


@pytest.fixture
def team(telephony, monkeypatch):
    """Ann with a number, and Ben, a member of her workspace; both online."""
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.04")
    config.reset_settings()
    with session_scope() as s:
        ann = auth.create_user(session=s, email="ann@example.com", password=PW).id
        ben = auth.create_user(session=s, email="ben@example.com", password=PW).id
        eve = auth.create_user(session=s, email="eve@example.com", password=PW).id
    offer = inventory.search_numbers(area_code="415")[0].phone_number
    with session_scope() as s:
        inventory.buy_number(session=s, member=member_of(ann), phone_number=offer)
        s.add(WorkspaceMember(workspace_id=personal_workspace(ann), user_id=ben))
        presence.touch_many(session=s, user_ids=[ann, ben, eve])
    return ann, ben, eve, offer


def _as(uid: int, workspace_of: int):
    return member_of(uid, personal_workspace(workspace_of))


def _dial(ann: int, sid: str, who: int, mode: str) -> None:
    with session_scope() as s:
        members.dial_member(session=s, member=_as(ann, ann), softphone_sid=sid, user_id=who,
                            mode=mode)  # fmt: skip


def _offers(ben: int, ann: int):
    with session_scope() as s:
        return members.offers_for(session=s, member=_as(ben, ann))


def _take(ben: int, ann: int, conf_id: int, accept: bool) -> str:
    with session_scope() as s:
        return members.take(session=s, member=_as(ben, ann), conference_id=conf_id,
                            accept=accept)  # fmt: skip


def test_a_call_handed_to_a_teammate(team):
    ann, ben, _eve, mine = team
    sid = _call_out(ann, mine)
    _dial(ann, sid, ben, "transfer")
    (offer,) = wait_for(lambda: _offers(ben, ann))
    assert _offers(ann, ann) == [] and offer.on_hold
    leg = _take(ben, ann, offer.id, accept=True)
    handed = wait_for(lambda: (c := _conf(ann)).agent_left and c)
    assert not handed.on_hold and _offers(ben, ann) == []
    people = wait_for(lambda: leg in (p := _participants(ann, handed)) and sid not in p and p)
    assert people == {handed.customer_sid: False, leg: False}
    followed = wait_for_db(lambda s: browser_calls.get_progress(
        session=s, member=_as(ben, ann), call_sid=leg))  # fmt: skip
    assert followed.status == "in-progress"  # Ben's softphone follows his own leg
    with session_scope() as s:
        row = s.exec(select(TwilioCall).where(TwilioCall.call_sid == leg)).one()
        assert (row.handled_by, row.to_number) == (ben, f"client:user-{ben}")
    assert _path(ann, handed)[-2:] == ["Taken off hold", "Handed over to ben"]
    _end(ann, handed)


def test_a_teammate_who_declines_leaves_the_caller_with_the_member(team):
    ann, ben, _eve, mine = team
    sid = _call_out(ann, mine)
    _dial(ann, sid, ben, "consult")
    (offer,) = wait_for(lambda: _offers(ben, ann))
    _take(ben, ann, offer.id, accept=False)
    back = wait_for(lambda: (c := _conf(ann)).pending == "" and not c.on_hold and c)
    assert not back.agent_left and "Not answered: ben" in _path(ann, back)
    with pytest.raises(NotFound):  # gone: nothing left to take
        _take(ben, ann, offer.id, accept=True)
    _end(ann, back)


def test_only_an_online_teammate_other_than_oneself(team):
    ann, ben, eve, mine = team
    sid = _call_out(ann, mine)
    for who, words in ((eve, "in your team"), (ann, "in your team"), (10**9, "in your team")):
        with pytest.raises(ValidationError, match=words):
            _dial(ann, sid, who, "transfer")
    with session_scope() as s:
        s.get(ClientPresence, ben).last_seen_at = s.get(ClientPresence, ben).last_seen_at.replace(
            year=2000
        )
    with pytest.raises(ValidationError, match="isn't online"):
        _dial(ann, sid, ben, "transfer")
    with pytest.raises(NotFound), session_scope() as s:  # Eve can't take anything of it
        members.take(session=s, member=member_of(eve), conference_id=1, accept=True)
    with session_scope() as s:
        browser_calls.hang_up(session=s, member=member_of(ann), call_sid=sid)
