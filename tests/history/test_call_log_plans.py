"""The call log's query plans, on both databases, per filter family: each seeks the index
made for it (several ranges of it when a leading filter is left out), never a walk of
the user's whole history; a search no number holds reads no call at all."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from callplatform.db import session_scope
from callplatform.history import call_log
from callplatform.history.call_log_plans import STATUS_VALUES
from callplatform.models import UserPhoneNumber
from callplatform.models.telephony import (
    IX_FACETS,
    IX_FROM_PARTY,
    IX_MISSED,
    IX_NUMBER_FACETS,
    IX_NUMBER_MISSED,
    IX_STARTED,
    IX_TO_PARTY,
)
from tests.helpers import make_user, member_of, personal_workspace
from tests.history.test_call_log_search import _calls

T0 = datetime(2026, 11, 1, tzinfo=UTC)
WINDOW = {"since": T0, "until": T0 + timedelta(hours=3)}
F = call_log.CallFilters
FAMILIES = {
    "no filter": (F(), {IX_STARTED}),
    "dates": (F(**WINDOW), {IX_STARTED}),
    "direction": (F(direction="outbound"), {IX_FACETS}),
    "status": (F(status="failed"), {IX_FACETS}),
    "direction+status+dates": (F(direction="inbound", status="busy", **WINDOW), {IX_FACETS}),
    "missed": (F(status="missed"), {IX_MISSED}),
    "missed+direction": (F(status="missed", direction="inbound"), {IX_MISSED}),
    "number": ("number", {IX_NUMBER_FACETS}),
    "number+status": ("number+status", {IX_NUMBER_FACETS}),
    "number+missed": ("number+missed", {IX_NUMBER_MISSED}),
    "search few": (F(search="(212) 555-0123"), {IX_FROM_PARTY, IX_TO_PARTY}),
    "search few+direction": (F(search="2125550123", direction="outbound"), {IX_FROM_PARTY}),
    "search few+status": (F(search="2125550123", status="failed"), {IX_FROM_PARTY, IX_TO_PARTY}),
    # The user's own number is in every call: the status's walks are the shorter.
    "search all+status": (F(search="4155550100", status="failed"), {IX_FACETS}),
    "search many": (F(search="555"), {IX_STARTED}),
    "search many+status": (F(search="555", status="busy"), {IX_FACETS}),
}
INDEXES = {IX_STARTED, IX_FACETS, IX_NUMBER_FACETS, IX_MISSED, IX_NUMBER_MISSED}


@pytest.fixture
def ann(db_url):
    """3,000 calls with the planner's statistics (PostgreSQL's autovacuum keeps them; a
    SQLite file is left without, as the app leaves it)."""
    ann = make_user("ann@example.com")
    with session_scope() as s:
        office = UserPhoneNumber(
            user_id=ann, workspace_id=personal_workspace(ann), phone_number="+14155550100"
        )
        s.add(office)
        s.flush()
        # One number of many (5% of the calls): a number filter is selective, so no
        # planner finds the number-less index as cheap (a tie it broke either way).
        rng = random.Random(3)
        calls = _calls(ann, office.id, 3000, rng, on_number=0.05)
        # Every status holds calls (a status holding none is one row by either index to
        # the planner: a tie it breaks either way, so the number's index is not chosen).
        for call in calls:
            if rng.random() < 0.3:
                call.status = rng.choice(STATUS_VALUES)
        s.add_all(calls)
    with session_scope() as s:
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("ANALYZE twilio_calls"))
    return ann, office.id


def _filters(family: str, number_id: int) -> call_log.CallFilters:
    filters, _ = FAMILIES[family]
    if isinstance(filters, str):  # the number is only known once made
        status = {"number": None, "number+status": "busy", "number+missed": "missed"}[filters]
        return F(number_id=number_id, status=status)
    return filters


def _plan(owner: int, filters, cursor=None) -> str:
    with session_scope() as s:
        if s.get_bind().dialect.name == "postgresql":
            # A few hundred rows: ask what it would do with the table a million rows long.
            s.execute(text("SET LOCAL enable_seqscan = off"))
        return " | ".join(
            call_log.explain(session=s, member=member_of(owner), filters=filters, cursor=cursor)
        )


def test_each_family_seeks_its_index(ann):
    owner, number_id = ann
    with session_scope() as s:
        deep = call_log.list_calls(
            session=s, member=member_of(owner), filters=F(), limit=200
        ).next_cursor
    for family, (_, expected) in FAMILIES.items():
        filters = _filters(family, number_id)
        for cursor in (None, deep):
            plan = _plan(owner, filters, cursor)
            for index in expected:
                assert index in plan, (family, plan)
            for other in INDEXES - expected:
                assert other not in plan, (family, plan)
            # No walk of a whole table (SQLite's SCAN of it, PostgreSQL's Seq Scan).
            assert "SCAN twilio_calls " not in plan + " " and "Seq Scan" not in plan, plan


def test_a_search_nothing_holds_reads_no_call(ann):
    owner, _ = ann
    assert _plan(owner, F(search="99999", status="busy")).startswith("NOTHING TO READ")


def test_the_statuses_walked_are_all_the_webhook_keeps():
    """A filter without a status walks one range per status: a status the webhook took
    but the walks left out would hide those calls."""
    from callplatform.callbacks import call_status
    from callplatform.history import call_log_plans

    tried = [*call_log_plans.STATUS_VALUES, "answered", "voicemail", "Completed", "", "queued "]
    assert {s for s in tried if call_status.rank(s) >= 0} == set(call_log_plans.STATUS_VALUES)
