"""The call log: order, keyset pages, filters, CSV, detail, isolation and query plans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from callplatform.accounts import auth
from callplatform.callbacks import call_status
from callplatform.common.errors import NotFound, ValidationError
from callplatform.db import session_scope
from callplatform.history import call_log
from callplatform.models import TwilioCall, UserPhoneNumber, WebhookEvent
from callplatform.models.telephony import IX_STARTED
from callplatform.workspaces import membership
from tests.helpers import member_of, personal_workspace

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _seed(db_url, n=30):
    with session_scope() as s:
        ann = auth.create_user(session=s, email="ann@example.com", password="long enough pw")
        bob = auth.create_user(session=s, email="bob@example.com", password="long enough pw")
        ann_ws = membership.personal_workspace_id(session=s, user_id=ann.id)
        bob_ws = membership.personal_workspace_id(session=s, user_id=bob.id)
        num = UserPhoneNumber(
            user_id=ann.id,
            workspace_id=ann_ws,
            phone_number="+14155550100",
            phone_number_sid="PN" + "a" * 32,
            friendly_name="Office",
        )
        s.add(num)
        s.flush()
        for i in range(n):
            s.add(
                TwilioCall(
                    workspace_id=ann_ws,
                    handled_by=ann.id,
                    number_id=num.id if i % 2 else None,
                    call_sid=f"CA{i:032d}",
                    direction="inbound" if i % 3 == 0 else "outbound",
                    from_number="+14155550100",
                    to_number=f"+1212555{i:04d}",
                    status="busy" if i % 5 == 0 else "completed",
                    missed=i % 7 == 0,
                    # ties on started_at: pairs share a timestamp, the id breaks the tie
                    started_at=T0 + timedelta(minutes=i // 2),
                    duration_seconds=i,
                )
            )
        s.add(
            TwilioCall(
                workspace_id=bob_ws,
                handled_by=bob.id,
                call_sid="CB" + "0" * 32,
                direction="outbound",
                from_number="+13105550100",
                to_number="+12125559999",
                status="completed",
                started_at=T0,
            )
        )
        return ann.id, bob.id, num.id


def _all_pages(owner, filters, limit=7):
    seen, cursor = [], None
    while True:
        with session_scope() as s:
            page = call_log.list_calls(
                session=s, member=member_of(owner), filters=filters, cursor=cursor, limit=limit
            )
        seen += [(c.started_at, c.id) for c in page.rows]
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor


def test_pages_cover_everything_once_newest_first(db_url):
    ann, bob, _ = _seed(db_url)
    seen = _all_pages(ann, call_log.CallFilters())
    assert len(seen) == 30 and len(set(seen)) == 30
    assert seen == sorted(seen, reverse=True)
    assert len(_all_pages(bob, call_log.CallFilters())) == 1


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (call_log.CallFilters(direction="inbound"), 10),
        (call_log.CallFilters(status="busy"), 6),
        (call_log.CallFilters(status="missed"), 5),
        (call_log.CallFilters(search="(212) 555-0012"), 1),
        (call_log.CallFilters(since=T0 + timedelta(minutes=10)), 10),
        (call_log.CallFilters(until=T0 + timedelta(minutes=1)), 2),
    ],
)
def test_filters(db_url, filters, expected):
    ann, _, _ = _seed(db_url)
    assert len(_all_pages(ann, filters)) == expected


def test_number_filter(db_url):
    ann, _, number_id = _seed(db_url)
    assert len(_all_pages(ann, call_log.CallFilters(number_id=number_id))) == 15


@pytest.mark.parametrize("cursor", ["garbage", "bm90LWEtY3Vyc29y", "!!!"])
def test_tampered_cursor(db_url, cursor):
    ann, _, _ = _seed(db_url, n=3)
    with session_scope() as s, pytest.raises(ValidationError):
        call_log.list_calls(
            session=s, member=member_of(ann), filters=call_log.CallFilters(), cursor=cursor
        )


def test_bad_filters(db_url):
    ann, _, _ = _seed(db_url, n=1)
    for bad in (call_log.CallFilters(direction="sideways"), call_log.CallFilters(status="x")):
        with session_scope() as s, pytest.raises(ValidationError):
            call_log.list_calls(session=s, member=member_of(ann), filters=bad)


def test_detail_and_csv_are_the_owners_only(db_url):
    ann, bob, _ = _seed(db_url, n=3)
    with session_scope() as s:
        call = s.exec(
            select(TwilioCall).where(TwilioCall.workspace_id == personal_workspace(ann))
        ).first()
        s.add(
            WebhookEvent(
                kind="status",
                # as the callback of ann's own account (she has no subaccount here)
                dedupe_key=call_status.event_key("status", "", call.call_sid, "1", "ringing"),
                resource_sid=call.call_sid,
                payload={"CallStatus": "ringing"},
            )
        )
    with session_scope() as s:
        got, events, recs = call_log.get_call(session=s, member=member_of(ann), call_id=call.id)
        assert got.id == call.id and [e.payload["CallStatus"] for e in events] == ["ringing"]
        with pytest.raises(NotFound):
            call_log.get_call(session=s, member=member_of(bob), call_id=call.id)
        text = call_log.export_csv(session=s, member=member_of(bob), filters=call_log.CallFilters())
    assert text.count("\n") == 2 and "+12125559999" in text and "+1212555000" not in text


def test_list_query_seeks_the_index(db_url):
    """(Every filter family: test_call_log_plans.py.)"""
    ann, _, _ = _seed(db_url, n=3)
    with session_scope() as s:
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("SET LOCAL enable_seqscan = off"))  # tiny table: ask what it would use
        plan = " ".join(
            call_log.explain(session=s, member=member_of(ann), filters=call_log.CallFilters())
        )
    assert IX_STARTED in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
