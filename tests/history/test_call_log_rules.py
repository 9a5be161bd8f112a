"""The call log's rules over real rows of two users: a call's detail holds that call's
events and recordings only; the CSV export walks every page (more than one) with each
call's own cost (its call legs, not its recording fee, not another user's lines); page
sizes and filters keep their bounds."""

from __future__ import annotations

import csv
import io
import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from callplatform.accounts import auth
from callplatform.callbacks import call_status
from callplatform.common.errors import NotFound, ValidationError
from callplatform.db import session_scope
from callplatform.history import call_log
from callplatform.models import (
    CostItem,
    CostKind,
    TwilioCall,
    TwilioRecording,
    TwilioSubaccount,
    UserPhoneNumber,
    WebhookEvent,
)
from callplatform.tenancy import crypto
from callplatform.workspaces import access, membership
from tests.helpers import member_of, personal_workspace

T0 = datetime(2026, 11, 1, tzinfo=UTC)
N = 450  # the export reads 200 calls a page: three pages
HEADER = ["started_at_utc", "direction", "from", "to", "number", "status", "duration_seconds",
          "cost", "currency", "recording", "contact"]  # fmt: skip


def _ws(s, user_id: int) -> int:
    """The user's personal workspace, read in the session that made them."""
    return membership.personal_workspace_id(session=s, user_id=user_id)


def _user(s, email: str) -> tuple[int, str]:
    user = auth.create_user(session=s, email=email, password="long enough pw")
    account = "AC" + secrets.token_hex(16)
    s.add(TwilioSubaccount(user_id=user.id, workspace_id=_ws(s, user.id), account_sid=account,
                           auth_token_encrypted=crypto.encrypt("t" * 32)))  # fmt: skip
    return user.id, account


def _call(s, user_id: int, i: int, **extra) -> TwilioCall:
    fields = {"direction": "outbound", "from_number": "+14155550100",
              "to_number": f"+1212555{i:04d}", "status": "completed",
              "started_at": T0 + timedelta(seconds=i), **extra}  # fmt: skip
    call = TwilioCall(
        workspace_id=_ws(s, user_id),
        handled_by=user_id,
        call_sid=f"CA{user_id}{i:031d}",
        **fields,
    )
    s.add(call)
    return call


def _cost(s, user_id: int, key: str, charge: str, kind=CostKind.CALL, **extra) -> None:
    s.add(
        CostItem(
            workspace_id=_ws(s, user_id),
            kind=kind,
            source_key=key,
            charge=Decimal(charge),
            **extra,
        )
    )


def _event(s, account: str, sid: str, seq: int, status: str) -> None:
    params = {"AccountSid": account, "CallSid": sid, "CallStatus": status}
    s.add(WebhookEvent(kind="status", resource_sid=sid, payload=params,
                       dedupe_key=call_status.event_key("status", params["AccountSid"], sid, str(seq), status),
                       received_at=T0 + timedelta(seconds=seq)))  # fmt: skip


@pytest.fixture
def log(db_url):
    """Ann's N calls (every 7th with a recording, every 5th priced in two legs plus a
    recording fee) and Bob's numbers, calls, recording and cost lines."""
    with session_scope() as s:
        (ann, ann_acct), (bob, bob_acct) = _user(s, "ann@example.com"), _user(s, "bob@example.com")
        office = UserPhoneNumber(
            user_id=ann,
            workspace_id=_ws(s, ann),
            phone_number="+14155550100",
            friendly_name="Office",
        )
        bobs = UserPhoneNumber(
            user_id=bob,
            workspace_id=_ws(s, bob),
            phone_number="+13125550100",
            friendly_name="Bob's",
        )
        s.add_all([office, bobs])
        s.flush()
        calls = [_call(s, ann, i, number_id=office.id if i % 2 else None,
                       duration_seconds=i if i % 3 else None) for i in range(N)]  # fmt: skip
        theirs = _call(s, bob, 0, number_id=bobs.id)
        odd = _call(s, ann, N, number_id=bobs.id)  # names only ever come from Ann's numbers
        s.flush()
        for i, call in enumerate(calls):
            if i % 7 == 0:
                deleted = T0 if i % 14 == 0 else None  # a deleted recording is no recording
                s.add(TwilioRecording(workspace_id=_ws(s, ann), call_id=call.id,
                                      call_sid=call.call_sid, recording_sid=f"RE{i:032d}",
                                      deleted_at=deleted))  # fmt: skip
            if i % 5 == 0:
                _cost(s, ann, f"leg1:{i}", "0.01680", call_id=call.id)
                _cost(s, ann, f"leg2:{i}", f"0.0048{i % 10}", call_id=call.id)
                _cost(s, ann, f"rec:{i}", "0.00300", CostKind.RECORDING, call_id=call.id)
        # Bob's lines and recording naming Ann's first call count for nobody but Bob.
        _cost(s, bob, "bob:leg", "9.00000", call_id=calls[0].id)
        s.add(TwilioRecording(workspace_id=_ws(s, bob), call_id=calls[1].id,
                              call_sid=calls[1].call_sid,
                              recording_sid="RE" + "b" * 32))  # fmt: skip
        for seq, status in enumerate(["initiated", "ringing", "completed"]):
            _event(s, ann_acct, calls[1].call_sid, seq, status)
            _event(s, ann_acct, calls[2].call_sid, seq + 10, status)
            _event(s, bob_acct, theirs.call_sid, seq, status)
        ids = [c.id for c in calls]
        return {"ann": ann, "bob": bob, "ids": ids, "theirs": theirs.id, "odd": odd.id}


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_export_walks_every_page_with_each_calls_own_cost(log):
    with session_scope() as s:
        rows = _rows(call_log.export_csv(session=s, member=member_of(log["ann"]),
                                         filters=call_log.CallFilters()))  # fmt: skip
    assert rows[0] == HEADER and len(rows) == 1 + N + 1
    body = rows[2:]  # newest first: the odd call, then call N-1 down to call 0
    assert [r[3] for r in body] == [f"+1212555{i:04d}" for i in reversed(range(N))]
    for i, row in zip(reversed(range(N)), body, strict=True):
        cost = f"{Decimal('0.02160') + Decimal(i % 10) / 100000:.5f}" if i % 5 == 0 else ""
        recording = "yes" if i % 7 == 0 and i % 14 else "no"
        assert row == [(T0 + timedelta(seconds=i)).isoformat(), "outbound", "+14155550100",
                       f"+1212555{i:04d}", "Office" if i % 2 else "", "completed",
                       str(i if i % 3 else 0), cost, "USD", recording, ""], i  # fmt: skip
    assert rows[1][4] == ""  # another user's number: no name


def test_the_export_keeps_the_filters_and_the_owner(log):
    with session_scope() as s:
        since = call_log.CallFilters(since=T0 + timedelta(seconds=N - 3))
        rows = _rows(call_log.export_csv(session=s, member=member_of(log["ann"]), filters=since))
        assert [r[3] for r in rows[1:]] == ["+12125550450", "+12125550449", "+12125550448",
                                            "+12125550447"]  # fmt: skip
        bobs = _rows(call_log.export_csv(session=s, member=member_of(log["bob"]),
                                         filters=call_log.CallFilters()))  # fmt: skip
    assert [r[3:5] + r[7:] for r in bobs[1:]] == [["+12125550000", "Bob's", "", "USD", "no", ""]]


def test_costs_are_call_legs_of_the_owner_only(log):
    ids = log["ids"]
    with session_scope() as s:
        assert (
            call_log.charges_for(
                session=s, workspace_id=personal_workspace(log["ann"]), call_ids=[]
            )
            == {}
        )
        charges = call_log.charges_for(
            session=s, workspace_id=personal_workspace(log["ann"]), call_ids=ids[:11]
        )
        assert charges == {ids[0]: Decimal("0.02160"), ids[5]: Decimal("0.02165"),
                           ids[10]: Decimal("0.02160")}  # fmt: skip
        bobs = call_log.charges_for(
            session=s, workspace_id=personal_workspace(log["bob"]), call_ids=ids[:11]
        )
        assert bobs == {ids[0]: Decimal("9")}


def test_a_calls_detail_is_that_calls_own(log):
    ids = log["ids"]
    with session_scope() as s:
        call, events, recs = call_log.get_call(
            session=s, member=member_of(log["ann"]), call_id=ids[1]
        )
        assert call.id == ids[1] and recs == []  # Bob's recording naming it is not Ann's
        assert [e.payload["CallStatus"] for e in events] == ["initiated", "ringing", "completed"]
        assert {e.resource_sid for e in events} == {call.call_sid}
        _, _, recs = call_log.get_call(session=s, member=member_of(log["ann"]), call_id=ids[7])
        assert [r.recording_sid for r in recs] == [f"RE{7:032d}"]
        _, events, recs = call_log.get_call(
            session=s, member=member_of(log["ann"]), call_id=ids[14]
        )
        assert events == [] and recs == []  # its only recording was deleted
        _, events, _ = call_log.get_call(
            session=s, member=member_of(log["bob"]), call_id=log["theirs"]
        )
        assert len(events) == 3
        for owner, call_id in ((log["bob"], ids[1]), (log["ann"], log["theirs"]),
                               (log["ann"], str(ids[1])), (log["ann"], 10**6)):  # fmt: skip
            with pytest.raises(NotFound):
                call_log.get_call(session=s, member=member_of(owner), call_id=call_id)


def test_events_are_listed_in_the_order_they_came(db_url):
    with session_scope() as s:
        ann, account = _user(s, "ann@example.com")
        call = _call(s, ann, 0)
        s.flush()
        for seq, status in ((5, "completed"), (1, "ringing"), (3, "in-progress")):
            _event(s, account, call.call_sid, seq, status)
        s.flush()
        member = access.acting_member(session=s, user_id=ann, workspace_id=_ws(s, ann))
        _, events, _ = call_log.get_call(session=s, member=member, call_id=call.id)
        assert [e.payload["CallStatus"] for e in events] == ["ringing", "in-progress", "completed"]


def test_page_sizes_are_bounded(log):
    with session_scope() as s:
        one = call_log.list_calls(session=s, member=member_of(log["ann"]), filters=call_log.CallFilters(),
                                  limit=0)  # fmt: skip
        assert len(one.rows) == 1 and one.next_cursor
        default = call_log.list_calls(
            session=s, member=member_of(log["ann"]), filters=call_log.CallFilters()
        )
        assert len(default.rows) == 50 and default.next_cursor
        big = call_log.list_calls(session=s, member=member_of(log["ann"]), filters=call_log.CallFilters(),
                                  limit=10_000)  # fmt: skip
        assert len(big.rows) == call_log.MAX_PAGE == 200 and big.next_cursor
        last = call_log.list_calls(session=s, member=member_of(log["bob"]), filters=call_log.CallFilters(),
                                   limit=1)  # fmt: skip
        assert len(last.rows) == 1 and last.next_cursor is None  # exactly one: no next page


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        (call_log.CallFilters(direction="sideways"), "direction"),
        (call_log.CallFilters(status="answered"), "status"),
        (call_log.CallFilters(since=T0 + timedelta(seconds=1), until=T0), "since"),
        (call_log.CallFilters(search="1" * 33), "search"),
        (call_log.CallFilters(search="zzz"), "search"),  # letters: names aren't searchable
        (call_log.CallFilters(search="ann 415"), "search"),
    ],
)
def test_bad_filters_name_their_field(filters, field):
    with pytest.raises(ValidationError) as err:
        filters.check()
    assert err.value.field == field and err.value.message  # says what is wrong, not nothing


@pytest.mark.parametrize(
    "filters",
    [
        call_log.CallFilters(since=T0, until=T0),
        call_log.CallFilters(search="1" * 32),
        *[
            call_log.CallFilters(status=s)
            for s in [
                "queued",
                "initiated",
                "ringing",
                "in-progress",
                "completed",
                "busy",
                "failed",
                "no-answer",
                "canceled",
                "missed",
            ]
        ],  # fmt: skip
        call_log.CallFilters(direction="inbound"),
        call_log.CallFilters(direction="outbound"),
    ],
)
def test_good_filters_pass(filters):
    assert filters.check() is filters


def test_search_matches_either_party_by_digits(log):
    with session_scope() as s:

        def found(text):
            page = call_log.list_calls(session=s, member=member_of(log["bob"]),
                                       filters=call_log.CallFilters(search=text))  # fmt: skip
            return len(page.rows)

        assert found("(212) 555-0000") == 1  # the called number
        assert found("+1 415 555 0100") == 1  # the calling number
        assert found("999") == 0
        assert found("-") == 1  # no digits: no search


def test_the_export_stops_at_its_limit_in_whole_pages(log, monkeypatch):
    def exported(limit: int) -> int:
        monkeypatch.setattr(call_log, "EXPORT_LIMIT", limit)
        with session_scope() as s:
            text = call_log.export_csv(
                session=s, member=member_of(log["ann"]), filters=call_log.CallFilters()
            )
        return len(_rows(text)) - 1

    assert [exported(n) for n in (200, 400, 401)] == [200, 400, N + 1]


def test_a_forged_cursor_is_refused_before_the_query(log):
    import base64

    def forged(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).decode()

    for stamp in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):  # no UTC value
        with session_scope() as s, pytest.raises(ValidationError) as err:
            call_log.list_calls(session=s, member=member_of(log["ann"]), filters=call_log.CallFilters(),
                                cursor=forged(f"{stamp}|5"))  # fmt: skip
        assert err.value.field == "cursor"
    with session_scope() as s:
        page = call_log.list_calls(session=s, member=member_of(log["ann"]), filters=call_log.CallFilters(),
                                   cursor=forged(f"{(T0 + timedelta(seconds=3)).isoformat()}|4"))  # fmt: skip
    assert [c.to_number for c in page.rows] == ["+12125550002", "+12125550001", "+12125550000"]
