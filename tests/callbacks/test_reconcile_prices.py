"""The sweep's prices as Twilio states them, with Twilio's answers stood in for: a price
keeps the unit Twilio gave it (a price without one is in dollars) on the call, its
browser leg, the recording and their ledger lines; a leg Twilio has not priced yet, or
a recording, holds back nothing else; only an outbound call has a browser leg."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlmodel import select

from callplatform.accounts import auth
from callplatform.callbacks import reconcile
from callplatform.db import session_scope
from callplatform.models import CostItem, TwilioCall, TwilioRecording
from callplatform.models.base import utcnow
from callplatform.telephony import gateway
from callplatform.telephony.types import CallInfo, RecordingInfo
from tests.helpers import personal_workspace

FAR = "+12125550123"


def _twilio_says(monkeypatch, calls: dict, recordings: dict) -> None:
    """Twilio's answers: each SID's (status, price, unit); unknown SIDs are not asked."""

    def fetch_call(creds, *, sid):
        status, price, unit = calls[sid]
        return CallInfo(sid=sid, parent_call_sid=None, account_sid="AC1", status=status,
                        direction="outbound-api", from_number="+14155550100", to_number=FAR,
                        duration=30, price=price, price_unit=unit)  # fmt: skip

    def fetch_recording(creds, *, sid):
        price, unit = recordings[sid]
        return RecordingInfo(sid=sid, call_sid="CA1", account_sid="AC1", duration=30,
                             status="completed", price=price, price_unit=unit)  # fmt: skip

    monkeypatch.setattr(gateway, "fetch_call", fetch_call)
    monkeypatch.setattr(gateway, "fetch_recording", fetch_recording)


def _open_call(s, uid: int, sid: str, *, direction="outbound", parent: str | None = None) -> int:
    call = TwilioCall(workspace_id=personal_workspace(uid), handled_by=uid, call_sid=sid,
                      parent_call_sid=parent, direction=direction,
                      from_number="+14155550100", to_number=FAR, status="in-progress",
                      started_at=utcnow() - timedelta(minutes=10))  # fmt: skip
    s.add(call)
    s.flush()
    return call.id


def _recording(s, uid: int, sid: str) -> int:
    rec = TwilioRecording(
        workspace_id=personal_workspace(uid), recording_sid=sid, call_sid="CA1", duration_seconds=30
    )
    s.add(rec)
    s.flush()
    return rec.id


def _sweep() -> tuple[int, int]:
    with session_scope() as s:
        return reconcile.reconcile_calls(session=s), reconcile.reconcile_recordings(session=s)


def _lines() -> dict[str, tuple[str, Decimal]]:
    with session_scope() as s:
        return {i.source_key: (i.currency, i.twilio_cost) for i in s.exec(select(CostItem))}


def _user() -> int:
    with session_scope() as s:
        return auth.create_user(session=s, email="ann@example.com", password="long enough pw").id


def test_prices_keep_the_unit_twilio_gave_them(sqlite_db, monkeypatch):
    ann = _user()
    with session_scope() as s:
        browser = _open_call(s, ann, "CA_BROWSER", parent="CA_LEG")
        inbound = _open_call(s, ann, "CA_INBOUND", direction="inbound", parent="CA_OTHER")
        rec = _recording(s, ann, "RE1")
    _twilio_says(monkeypatch,
                 calls={"CA_BROWSER": ("completed", Decimal("-0.02"), "EUR"),
                        "CA_LEG": ("completed", Decimal("-0.004"), "EUR"),
                        "CA_INBOUND": ("completed", Decimal("-0.0085"), "EUR"),
                        "CA_OTHER": ("completed", Decimal("-1"), "EUR")},
                 recordings={"RE1": (Decimal("-0.0025"), "EUR")})  # fmt: skip
    assert _sweep() == (2, 1)
    assert _lines() == {
        "call:CA_BROWSER": ("EUR", Decimal("0.02")),
        "call:CA_LEG": ("EUR", Decimal("0.004")),  # the browser's leg
        "call:CA_INBOUND": ("EUR", Decimal("0.0085")),  # an inbound call has no such leg
        "recording:RE1": ("EUR", Decimal("0.0025")),
    }
    with session_scope() as s:
        units = {s.get(TwilioCall, browser).price_unit, s.get(TwilioCall, inbound).price_unit}
        assert units == {s.get(TwilioRecording, rec).price_unit} == {"EUR"}


def test_a_price_without_a_unit_is_in_dollars(sqlite_db, monkeypatch):
    ann = _user()
    with session_scope() as s:
        call = _open_call(s, ann, "CA_BROWSER", parent="CA_LEG")
        rec = _recording(s, ann, "RE1")
    _twilio_says(monkeypatch,
                 calls={"CA_BROWSER": ("completed", Decimal("-0.02"), None),
                        "CA_LEG": ("completed", Decimal("-0.004"), None)},
                 recordings={"RE1": (Decimal("-0.0025"), None)})  # fmt: skip
    assert _sweep() == (1, 1)
    assert {unit for unit, _ in _lines().values()} == {"USD"} and len(_lines()) == 3
    with session_scope() as s:
        assert s.get(TwilioCall, call).price_unit == s.get(TwilioRecording, rec).price_unit == "USD"


def test_what_twilio_has_not_priced_yet_holds_back_nothing_else(sqlite_db, monkeypatch):
    ann = _user()
    with session_scope() as s:
        call = _open_call(s, ann, "CA_BROWSER", parent="CA_LEG")
        _recording(s, ann, "RE_UNPRICED")  # first in line
        priced = _recording(s, ann, "RE_PRICED")
    _twilio_says(monkeypatch,
                 calls={"CA_BROWSER": ("completed", Decimal("-0.02"), "USD"),
                        "CA_LEG": ("completed", None, "USD")},  # ended, not priced yet
                 recordings={"RE_UNPRICED": (None, "USD"), "RE_PRICED": (Decimal("-0.0025"), "USD")})  # fmt: skip
    assert _sweep() == (1, 1)
    assert _lines() == {
        "call:CA_BROWSER": ("USD", Decimal("0.02")),
        "recording:RE_PRICED": ("USD", Decimal("0.0025")),
    }
    with session_scope() as s:
        assert s.get(TwilioCall, call).price == Decimal("0.02")
        assert s.get(TwilioRecording, priced).price == Decimal("0.0025")
