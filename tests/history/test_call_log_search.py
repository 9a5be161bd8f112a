"""The call log against a brute-force filter over the same rows: every combination of
number, direction, status and dates, and the digit search (typed plain or formatted,
matching many parties, a few, or none) alone and with the other filters, paged through
to the end; the parties the search reads follow every write of a call."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from callplatform.callbacks import call_status_sql
from callplatform.db import get_engine, session_scope
from callplatform.history import call_log, digit_search
from callplatform.models import CallParty, TwilioCall, UserPhoneNumber
from tests.helpers import make_user, member_of, personal_workspace

T0 = datetime(2026, 11, 1, tzinfo=UTC)
PARTIES = [
    f"+1{area}555{i:04d}" for area in (212, 310, 646) for i in (100, 123, 177, 1111, 4321, 9000)
]
ODD = ["client:alice", "sip:2125550123@pbx.example.com", "+447700900123", "+1 (646) 555-0142"]
STATUSES = [None, "completed", "busy", "failed", "missed"]
# Many parties, a few, one, none; "555-0122" holds none but sits just below "5550123".
SEARCHES = ["555", "2125550123", "(212) 555-01", "+44 7700", "0142", "99999", "1", "()", "555-0122"]


def _calls(
    user_id: int, number_id: int, count: int, rng: random.Random, *, on_number: float = 0.4
) -> list[TwilioCall]:
    calls, workspace_id = [], personal_workspace(user_id)
    for i in range(count):
        inbound = rng.random() < 0.5
        far = rng.choice(PARTIES + ODD)
        calls.append(
            TwilioCall(
                workspace_id=workspace_id,
                handled_by=user_id,
                number_id=number_id if rng.random() < on_number else None,
                call_sid=f"CA{user_id:04d}{i:028d}",
                direction="inbound" if inbound else "outbound",
                from_number=far if inbound else "+14155550100",
                to_number="+14155550100" if inbound else far,
                status=rng.choice(["completed", "completed", "busy", "no-answer"]),
                missed=inbound and rng.random() < 0.3,
                started_at=T0 + timedelta(minutes=rng.randrange(0, 600)),  # some share a minute
            )
        )
    return calls


@pytest.fixture
def log(db_url):
    """Ann's 150 calls and Bob's 50 (to the same parties: never in Ann's results)."""
    rng = random.Random(15)
    ann, bob = make_user("ann@example.com"), make_user("bob@example.com")
    with session_scope() as s:
        office = UserPhoneNumber(
            user_id=ann, workspace_id=personal_workspace(ann), phone_number="+14155550100"
        )
        s.add(office)
        s.flush()
        s.add_all(_calls(ann, office.id, 150, rng) + _calls(bob, office.id, 50, rng))
    return ann, office.id


def _pages(owner: int, filters) -> list[int]:
    seen, cursor = [], None
    while True:
        with session_scope() as s:
            page = call_log.list_calls(
                session=s, member=member_of(owner), filters=filters, cursor=cursor, limit=7
            )
        seen += [c.id for c in page.rows]
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor


def _brute(owner: int, f: call_log.CallFilters) -> list[int]:
    with session_scope() as s:
        rows = s.exec(
            select(TwilioCall).where(TwilioCall.workspace_id == personal_workspace(owner))
        ).all()
    digits = f.digits

    def keep(c: TwilioCall) -> bool:
        return (
            (f.number_id is None or c.number_id == f.number_id)
            and (not f.direction or c.direction == f.direction)
            and (not f.status or (c.missed if f.status == "missed" else c.status == f.status))
            and (f.since is None or c.started_at >= f.since)
            and (f.until is None or c.started_at < f.until)
            and (not digits or digits in c.from_number or digits in c.to_number)
        )

    kept = sorted((c for c in rows if keep(c)), key=lambda c: (c.started_at, c.id), reverse=True)
    return [c.id for c in kept]


def _filters(number_id, direction, status, window, search=""):
    since, until = window or (None, None)
    return call_log.CallFilters(
        number_id=number_id,
        direction=direction,
        status=status,
        since=since,
        until=until,
        search=search,
    )


WINDOWS = [None, (T0 + timedelta(hours=2), T0 + timedelta(hours=5))]


def test_every_filter_combination(log):
    ann, office = log
    for combo in itertools.product(
        [None, office], [None, "inbound", "outbound"], STATUSES, WINDOWS
    ):
        f = _filters(*combo)
        assert _pages(ann, f) == _brute(ann, f), f


@pytest.mark.parametrize("search", SEARCHES)
def test_search_alone_and_with_filters(log, search):
    ann, office = log
    expected = _brute(ann, _filters(None, None, None, None, search))
    assert _pages(ann, _filters(None, None, None, None, search)) == expected
    assert search in ("99999", "+44 7700", "555-0122") or expected  # the rest match some calls
    for combo in [
        (office, None, None, None),
        (None, "outbound", "completed", None),
        (None, "inbound", "missed", WINDOWS[1]),
        (office, "inbound", "busy", None),
        (None, None, "failed", None),  # no call failed: an empty side
    ]:
        f = _filters(*combo, search)
        assert _pages(ann, f) == _brute(ann, f), f


def test_parties_follow_every_write_of_a_call(log):
    """Calls made by the webhook's own statement, and a call whose number changes, are
    found by their digits; the number it no longer has finds nothing."""
    ann, office = log
    with get_engine().begin() as connection:
        call_status_sql.INSERT_CALL.execute(
            connection,
            {"workspace_id": personal_workspace(ann), "handled_by": ann,
             "call_sid": "CA" + "9" * 32, "phone": "+14155550100",
             "parent_call_sid": None, "direction": "outbound", "from_number": "+14155550100",
             "to_number": "+18005550199", "status": "queued", "last_sequence": -1,
             "missed": False, "started_at": T0, "price_unit": "USD", "answered_at": None,
             "ended_at": None, "duration_seconds": None, "updated_at": T0},
        )  # fmt: skip
    assert len(_pages(ann, call_log.CallFilters(search="800 555 0199"))) == 1
    with session_scope() as s:
        call = s.exec(select(TwilioCall).where(TwilioCall.to_number == "+18005550199")).one()
        call.to_number = "+18885550111"
        s.add(call)
    assert _pages(ann, call_log.CallFilters(search="8005550199")) == []
    assert _pages(ann, call_log.CallFilters(search="888-555-0111")) == [call.id]
    with session_scope() as s:
        mine = s.exec(
            select(CallParty.number).where(CallParty.workspace_id == personal_workspace(ann))
        ).all()
    assert {"+18005550199", "+18885550111", "client:alice"} <= set(mine)


@pytest.mark.parametrize(
    ("digits", "after"), [("555", "556"), ("0199", "02"), ("5559", "556"), ("99", None)]
)
def test_the_range_of_digits_starting_with_a_search(digits, after):
    assert digit_search.digits_after(digits) == after
