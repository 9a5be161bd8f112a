"""The route document's shape (what is refused before the database is asked), business
hours at a given moment, addresses of steps, and the plain-language summary."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from callplatform.routing import summary
from callplatform.routing.document import (
    Hours,
    RoutingDocument,
    following,
    measure,
    step_at,
)
from callplatform.routing.hours import is_open

WEEKDAYS_9_17 = {
    d: [{"open": "09:00", "close": "17:00"}] for d in ("mon", "tue", "wed", "thu", "fri")
}


def business(open_route, closed_route, **extra) -> dict:
    return {"type": "hours", "zone": "Europe/Berlin", "week": WEEKDAYS_9_17,
            "open": open_route, "closed": closed_route, **extra}  # fmt: skip


def doc(*route, **extra) -> RoutingDocument:
    return RoutingDocument.model_validate({"route": list(route), **extra})


def menu(options: dict, **extra) -> dict:
    return {"type": "menu", "greeting": "Press 1 for sales.", "options": options, **extra}


VOICEMAIL = {"type": "voicemail"}


@pytest.mark.parametrize(
    ("route", "words"),
    [
        ([], "at least 1"),
        ([{"type": "ring", "user_ids": []}], "at least 1"),
        ([{"type": "ring", "user_ids": [1, 1]}], "once"),
        ([{"type": "ring", "user_ids": [1], "seconds": 500}], "less than or equal"),
        ([{"type": "say", "text": "hi\x00"}], "control"),
        ([{"type": "say", "text": "x" * 401}], "at most 400"),
        (
            [
                {
                    "type": "say",
                    "text": "Hola",
                    "voice": {"voice": "Polly.Joanna", "language": "es-ES"},
                }
            ],
            "doesn't speak",
        ),
        (
            [{"type": "say", "text": "Hi", "voice": {"voice": "Robot", "language": "en-US"}}],
            "Unknown voice",
        ),
        ([menu({"12": [VOICEMAIL]})], "single keys"),
        ([business([VOICEMAIL], [VOICEMAIL], zone="Mars/Olympus")], "time zone"),
        (
            [
                business(
                    [VOICEMAIL], [VOICEMAIL], week={"mon": [{"open": "17:00", "close": "09:00"}]}
                )
            ],
            "before",
        ),
        (
            [
                business(
                    [VOICEMAIL],
                    [VOICEMAIL],
                    week={
                        "mon": [
                            {"open": "09:00", "close": "13:00"},
                            {"open": "12:00", "close": "17:00"},
                        ]
                    },
                )
            ],
            "overlap",
        ),
        ([{"type": "teleport"}], "does not match any of the expected tags"),
        ([VOICEMAIL] * 11, "at most 10"),
    ],
)
def test_bad_shapes_are_refused(route, words):
    with pytest.raises(ValidationError, match=words):
        doc(*route)


def test_depth_and_size_are_limited():
    deep = [VOICEMAIL]
    for _ in range(4):
        deep = [menu({"1": deep})]
    with pytest.raises(ValidationError, match="nest at most 4"):
        doc(*deep)
    wide = [menu({str(k): [VOICEMAIL] * 6 for k in range(10)})]
    with pytest.raises(ValidationError, match="at most 60 steps"):
        doc(*wide)
    assert measure(doc(menu({"1": [menu({"2": [VOICEMAIL]})]})).route) == (3, 5)


def test_addresses_reach_nested_steps_and_nothing_else():
    d = doc(business([{"type": "ring", "user_ids": [1]}, menu({"1": [VOICEMAIL]})], [VOICEMAIL]))
    route, index = step_at(d, "0.open.1.k1.0")
    assert route[index].type == "voicemail"
    assert step_at(d, "0.open.1.fb.0")[0][0].type == "voicemail"  # the default fallback
    for gone in ("1", "0.open.2", "0.k1.0", "0.open", "x", "", "0.open.-1", "0.open.1.k9.0"):
        assert step_at(d, gone) is None, gone
    assert following("0.open.1") == "0.open.2" and following("3") == "4"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 12, 7, 8, 0, tzinfo=UTC), True),  # Mon 09:00 in Berlin (opening)
        (datetime(2026, 12, 7, 7, 59, tzinfo=UTC), False),  # 08:59
        (datetime(2026, 12, 7, 16, 0, tzinfo=UTC), False),  # 17:00: closing time is out
        (datetime(2026, 12, 5, 12, 0, tzinfo=UTC), False),  # a Saturday
        (datetime(2026, 12, 25, 12, 0, tzinfo=UTC), False),  # a Friday, but closed
        (datetime(2026, 7, 6, 7, 30, tzinfo=UTC), True),  # summer time: 09:30 in Berlin
    ],
)
def test_hours_are_read_in_their_own_zone(moment, expected):
    hours = Hours.model_validate(business([VOICEMAIL], [VOICEMAIL], closures=[date(2026, 12, 25)]))
    assert is_open(hours, moment) is expected


def test_the_summary_says_it_in_plain_words():
    d = doc(
        business(
            [{"type": "ring", "user_ids": [1, 2], "seconds": 20},
             {"type": "forward", "to": "+14155550123"}],
            [{"type": "say", "text": "We are closed."}, VOICEMAIL],
        )
    )  # fmt: skip
    assert summary.describe(d, {1: "Anna", 2: "Ben"}) == (
        "Weekdays 9-17 Europe/Berlin: ring Anna and Ben for 20 s, then forward to "
        "+1 (415) 555-0123; otherwise: greeting, then voicemail"
    )


def test_the_summary_of_menus_turns_and_odd_weeks():
    week = {"mon": [{"open": "08:30", "close": "12:00"}, {"open": "13:00", "close": "17:00"}],
            "tue": [{"open": "08:30", "close": "12:00"}, {"open": "13:00", "close": "17:00"}],
            "fri": [{"open": "09:00", "close": "13:00"}], "sun": [{"open": "10:00", "close": "11:00"}]}  # fmt: skip
    d = doc(
        business(
            [menu({"1": [{"type": "ring", "user_ids": [1, 2, 3], "order": "in_turn"}],
                   "2": [{"type": "forward", "to": "+14155550123", "caller_id": "number"}]})],
            [{"type": "hangup"}],
            zone="America/New_York", week=week, closures=["2026-12-25", "2026-12-24"],
        ),
        blocked=[{"number": "+12125550100"}, {"number": "+12125550101", "action": "voicemail"}],
    )  # fmt: skip
    assert summary.describe(d, {1: "Anna", 2: "Ben"}) == (
        "Mon-Tue 8:30-12, 13-17, Fri 9-13, Sun 10-11 America/New_York (closed on 2026-12-24, "
        "2026-12-25): menu (1: ring Anna, then Ben, then member 3, 20 s each; 2: forward to "
        "+1 (415) 555-0123 (showing our number); no choice: voicemail); otherwise: hang up "
        "(2 blocked callers)"
    )
