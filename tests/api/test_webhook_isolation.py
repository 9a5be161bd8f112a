"""Every webhook, enumerated from the app (a new one is covered the day it is added),
called by tenant B with a valid signature of B's own token but naming tenant A's
CallSids and RecordingSids: A's rows stay byte-for-byte the same, B gets an answer
Twilio will not retry, and A's own later callbacks still apply (B's events cannot
pre-empt them as "duplicates")."""

from __future__ import annotations

import itertools
import secrets
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from fastapi.routing import APIRoute

from callplatform import config
from callplatform.accounts import auth
from callplatform.api import signed
from callplatform.api.app import build_api
from callplatform.api.webhooks import status_route
from callplatform.db import session_scope
from callplatform.history import call_log
from callplatform.models import (
    CallConference,
    CallRouteEvent,
    Conversation,
    CostItem,
    Message,
    NumberRouting,
    OptOut,
    TwilioCall,
    TwilioRecording,
    TwilioSubaccount,
    UserPhoneNumber,
)
from callplatform.models.base import utcnow
from callplatform.telephony.signatures import compute_signature
from callplatform.tenancy import crypto
from callplatform.workspaces import membership
from tests.helpers import member_of

BASE = "https://calls.example.com"
STATUSES = ["ringing", "in-progress", "completed", "failed"]
A_TABLES = (TwilioCall, TwilioRecording, UserPhoneNumber, CostItem, TwilioSubaccount,
            CallConference)  # fmt: skip
EVENTS = ("participant-leave", "participant-join", "conference-end", "participant-hold")


def webhook_paths() -> list[str]:
    """Every webhook route of the app: those that take Twilio's signed parameters, the
    status callback's bare route, and anything else the webhooks module serves."""
    paths = {status_route.path}
    for route in _flatten(build_api().routes):
        if not isinstance(route, APIRoute):
            continue
        deps = {dep.call for dep in route.dependant.dependencies}
        if signed.verified_params in deps or route.endpoint.__module__.endswith(".webhooks"):
            paths.add(route.path)
    return sorted(paths)


def _flatten(routes):
    """FastAPI keeps an included router's routes behind a wrapper; open every one."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from _flatten(inner.routes) if inner is not None else [route]


def test_the_enumeration_finds_the_webhooks():
    paths = webhook_paths()
    for known in ("/api/twilio/status", "/api/twilio/recording", "/api/twilio/voice",
                  "/api/twilio/sms", "/api/twilio/sms-status", "/api/twilio/route/menu",
                  "/api/twilio/route/dialed", "/api/twilio/route/next",
                  "/api/twilio/route/whisper", "/api/twilio/route/accept"):  # fmt: skip
        assert known in paths
    assert not any(p.startswith("/api/twilio/numbers") for p in paths)  # the public API


def _tenant(email: str, phone: str) -> dict:
    account, token = "AC" + secrets.token_hex(16), secrets.token_hex(16)
    with session_scope() as s:
        user = auth.create_user(session=s, email=email, password="long enough pw")
        workspace = membership.personal_workspace_id(session=s, user_id=user.id)
        s.add(
            TwilioSubaccount(
                user_id=user.id, workspace_id=workspace, account_sid=account,
                auth_token_encrypted=crypto.encrypt(token),
            )
        )  # fmt: skip
        number = UserPhoneNumber(user_id=user.id, workspace_id=workspace, phone_number=phone,
                                 record_calls=True)  # fmt: skip
        s.add(number)
        s.flush()
        return {"id": user.id, "account": account, "token": token, "phone": phone,
                "number_id": number.id, "workspace": workspace}  # fmt: skip


def _a_history(a: dict) -> dict:
    """A's calls in every phase of life, with a recording and a cost."""
    now = utcnow()
    sids = {name: "CA" + secrets.token_hex(16) for name in ("live", "done", "ringing", "leg")}
    with session_scope() as s:

        def call(sid, status, **extra):
            fields = {"direction": "outbound", "from_number": a["phone"],
                      "to_number": "+12125550123", "started_at": now, **extra}  # fmt: skip
            row = TwilioCall(workspace_id=a["workspace"], handled_by=a["id"],
                             number_id=a["number_id"], call_sid=sid, status=status,
                             **fields)  # fmt: skip
            s.add(row)
            return row

        call(sids["live"], "in-progress", answered_at=now, last_sequence=2)
        done = call(sids["done"], "completed", answered_at=now, ended_at=now,
                    duration_seconds=30, last_sequence=3, parent_call_sid=sids["leg"])  # fmt: skip
        call(sids["ringing"], "ringing", direction="inbound", last_sequence=1)
        s.flush()
        rec = TwilioRecording(workspace_id=a["workspace"], call_id=done.id, recording_sid="RE" +
                              secrets.token_hex(16), call_sid=sids["done"], status="completed",
                              duration_seconds=28)  # fmt: skip
        s.add(rec)
        s.add(CostItem(workspace_id=a["workspace"], handled_by=a["id"], kind="call",
                       source_key=f"call:{sids['done']}", call_id=done.id, twilio_cost="0.0140", price="0.0168",
                       occurred_at=now - timedelta(minutes=1)))  # fmt: skip
        s.flush()
        # A text thread: one sent (not yet delivered), one received.
        thread = Conversation(workspace_id=a["workspace"], number_id=a["number_id"],
                              other_party="+12125550123")  # fmt: skip
        s.add(thread)
        s.flush()
        sids["message"] = "SM" + secrets.token_hex(16)
        for direction, sid, status in (("outbound", sids["message"], "sent"),
                                       ("inbound", "SM" + secrets.token_hex(16), "received")):  # fmt: skip
            s.add(Message(workspace_id=a["workspace"], conversation_id=thread.id,
                          number_id=a["number_id"], direction=direction, message_sid=sid,
                          from_number=a["phone"], to_number="+12125550123", status=status))  # fmt: skip
        s.flush()
        # A routing (a menu: key 1 forwards, else voicemail) and a routed call's path.
        route = [{"type": "menu", "greeting": "Press 1.", "options": {"1": [
            {"type": "forward", "to": "+12125550123"}, {"type": "voicemail"}]}}]  # fmt: skip
        s.add(NumberRouting(number_id=a["number_id"], document={"route": route}))
        s.add(CallRouteEvent(number_id=a["number_id"], call_sid=sids["ringing"], kind="menu",
                             detail="pressed 1"))  # fmt: skip
        # A live call moved into a conference, a party being dialled in (hold, transfer).
        s.add(CallConference(workspace_id=a["workspace"], handled_by=a["id"],
                             number_id=a["number_id"], account_sid=a["account"],
                             name=f"cp-{sids['leg']}", softphone_sid=sids["leg"],
                             customer_sid=sids["live"], agent_sid=sids["leg"],
                             rejoin_sid=sids["leg"], conference_sid="CF" + secrets.token_hex(16),
                             status="live", present=f"{sids['leg']} {sids['live']}",
                             on_hold=True, pending="consult", pending_sid=sids["done"],
                             pending_to="+12125550123"))  # fmt: skip
        s.flush()
        return {**sids, "recording": rec.recording_sid}


def _snapshot(user_id: int) -> dict:
    """Every row of A's, and every row that points at one of A's calls, every column."""
    with session_scope() as s:
        workspace = membership.personal_workspace_id(session=s, user_id=user_id)
        calls = sa.select(TwilioCall.id).where(TwilioCall.workspace_id == workspace)
        snapshot = {}
        for model in A_TABLES:
            table = model.__table__
            mine = table.c.workspace_id == workspace
            if "call_id" in table.c:
                mine = mine | table.c.call_id.in_(calls)
            rows = s.execute(sa.select(table).where(mine)).all()
            snapshot[table.name] = sorted(tuple(row) for row in rows)
        # Texts belong to the workspace and its numbers.
        numbers = sa.select(UserPhoneNumber.id).where(UserPhoneNumber.workspace_id == workspace)
        for table, mine in (
            (Conversation.__table__, Conversation.__table__.c.workspace_id == workspace),
            (Message.__table__, Message.__table__.c.workspace_id == workspace),
            (OptOut.__table__, OptOut.__table__.c.number_id.in_(numbers)),
            (NumberRouting.__table__, NumberRouting.__table__.c.number_id.in_(numbers)),
            (CallRouteEvent.__table__, CallRouteEvent.__table__.c.number_id.in_(numbers)),
        ):
            rows = s.execute(sa.select(table).where(mine)).all()
            snapshot[table.name] = sorted(tuple(row) for row in rows)
        return snapshot


@pytest.fixture
def tenants(db_url, live_api, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", BASE)
    config.reset_settings()
    signed.clear_token_cache()
    a = _tenant("ann@example.com", "+14155550100")
    b = _tenant("bob@example.com", "+13125550111")
    a["sids"] = _a_history(a)
    client = httpx.Client(base_url=live_api, timeout=10)

    def post(path: str, params: dict, who: dict) -> httpx.Response:
        params = {"AccountSid": who["account"], **params}
        signature = compute_signature(auth_token=who["token"], url=BASE + path, params=params)
        return client.post(path, data=params, headers={"X-Twilio-Signature": signature})

    yield a, b, post
    client.close()
    signed.clear_token_cache()


def _forgeries(a: dict, b: dict) -> list[dict]:
    """Callbacks naming A's SIDs and numbers with every status that would do harm: to
    A's number or B's own, from A's phone or A's browser, about A's recording or a new
    one (which must not attach to A's call)."""
    sids = a["sids"]
    parties = [(a["phone"], a["phone"]), (f"client:user-{a['id']}", a["phone"]),
               (a["phone"], b["phone"])]  # fmt: skip
    out = []
    for n, (sid, status, (caller, called)) in enumerate(
        itertools.product([sids[k] for k in ("live", "done", "ringing", "leg")], STATUSES, parties)
    ):
        recording = sids["recording"] if n % 2 else "RE" + secrets.token_hex(16)
        message = sids["message"] if n % 2 else "SM" + secrets.token_hex(16)
        out.append({
            "CallSid": sid, "ParentCallSid": sid, "CallStatus": status,
            "DialCallStatus": "no-answer", "SequenceNumber": "999", "CallDuration": "99999",
            "RecordingSid": recording, "RecordingStatus": "completed",
            "RecordingDuration": "99999", "From": caller, "To": called,
            "CallerId": a["phone"], "Direction": "inbound",
            "MessageSid": message, "SmsSid": message,
            "MessageStatus": ("undelivered", "delivered", "failed", "sent")[n % 4],
            "ErrorCode": "21610", "Body": ("STOP", "START", "hello")[n % 3],
            "FriendlyName": f"cp-{sids['leg']}", "StatusCallbackEvent": EVENTS[n % 4],
            "ConferenceSid": "CF" + secrets.token_hex(16),
        })  # fmt: skip
    return out


def test_a_callback_signed_by_b_never_touches_a(tenants):
    a, b, post = tenants
    before = _snapshot(a["id"])
    # The routing webhooks' query names A's number and a step of its routing.
    routed = f"?n={a['number_id']}&a=0&h=1&k=0&t=1"
    queries = ["", "?kind=voicemail&to=%2B1415", routed, routed + "&none=1"]
    for path, query in itertools.product(webhook_paths(), queries):
        for params in _forgeries(a, b):
            answer = post(path + query, params, b)
            # Accepted (B really signed it), so Twilio would not retry it forever.
            assert 200 <= answer.status_code < 300, (path, params, answer.text)
    assert _snapshot(a["id"]) == before
    # And nothing B sent shows in A's view of A's calls.
    with session_scope() as s:
        for sid in ("live", "done", "ringing"):
            call_id = s.exec(
                sa.select(TwilioCall.id).where(TwilioCall.call_sid == a["sids"][sid])
            ).scalar_one()
            _call, events, _recs = call_log.get_call(
                session=s, member=member_of(a["id"]), call_id=call_id
            )
            assert [e.payload["AccountSid"] for e in events if e.payload] == [a["account"]] * len(
                events
            ), sid


def test_b_cannot_pre_empt_as_callbacks(tenants):
    a, b, post = tenants
    live, recording = a["sids"]["live"], a["sids"]["recording"]
    final = {"CallSid": live, "CallStatus": "completed", "SequenceNumber": "7",
             "CallDuration": "61", "From": a["phone"], "To": "+12125550123"}  # fmt: skip
    rec = {"CallSid": a["sids"]["done"], "RecordingSid": recording,
           "RecordingStatus": "completed", "RecordingDuration": "29"}  # fmt: skip
    assert post("/api/twilio/status", final, b).status_code == 204
    assert post("/api/twilio/recording", rec, b).status_code == 204
    # A's genuine callbacks, identical but for the account, still land.
    assert post("/api/twilio/status", final, a).status_code == 204
    assert post("/api/twilio/recording", rec, a).status_code == 204
    with session_scope() as s:
        call = s.exec(sa.select(TwilioCall).where(TwilioCall.call_sid == live)).scalar_one()
        assert (call.workspace_id, call.status, call.duration_seconds) == (
            a["workspace"],
            "completed",
            61,
        )
        kept = s.exec(
            sa.select(TwilioRecording).where(TwilioRecording.recording_sid == recording)
        ).scalar_one()
        assert (kept.workspace_id, kept.duration_seconds) == (a["workspace"], 29)
