"""Every event handler of every page state, enumerated from the app (so a new handler is
covered the day it lands), called by an anonymous client and by user B with user A's ids
in every argument: nothing of A's is shown or changed."""

from __future__ import annotations

import contextlib
import inspect
from datetime import UTC, datetime

import pytest
from sqlmodel import select

import callplatform.callplatform  # noqa: F401  (registers every page and its state)
from callplatform.db import session_scope
from callplatform.models import (
    ApiToken,
    AuditEvent,
    CostItem,
    Role,
    TwilioCall,
    TwilioRecording,
    User,
    UserPhoneNumber,
)
from callplatform.services import api_tokens, auth
from callplatform.state.session import SessionState
from tests.state.harness import call, login_token, state_for

PASSWORD = "long enough pw"
# setvar is Reflex's own; the rest are ours. Handlers that only touch the caller's own
# screen state (no data) still get called: they must not fail either.
SKIP = {"setvar"}


def _states() -> list[type[SessionState]]:
    found, todo = [], [SessionState]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.get_substates())
    return found


def _handlers():
    for cls in _states():
        for name in cls.event_handlers:
            if name not in SKIP and not name.startswith("set_is_hydrated"):
                yield cls, name


def _seed():
    with session_scope() as s:
        ann = auth.create_user(session=s, email="ann@example.com", password=PASSWORD)
        bob = auth.create_user(session=s, email="bob@example.com", password=PASSWORD)
        _give_data(s, bob.id, "+13125550177", "d", "Bob's line")
        token, _raw = api_tokens.create_token(session=s, owner_id=ann.id, name="Ann's token")
        number = UserPhoneNumber(
            user_id=ann.id,
            phone_number="+14155550100",
            phone_number_sid="PN" + "a" * 32,
            friendly_name="Ann's line",
        )
        s.add(number)
        s.flush()
        c = TwilioCall(
            user_id=ann.id,
            number_id=number.id,
            call_sid="CA" + "b" * 32,
            direction="inbound",
            from_number="+12125550100",
            to_number="+14155550100",
            status="ringing",
            started_at=datetime.now(UTC),
        )
        s.add(c)
        s.flush()
        s.add(
            TwilioRecording(
                user_id=ann.id,
                call_id=c.id,
                recording_sid="RE" + "c" * 32,
                call_sid=c.call_sid,
                duration_seconds=5,
            )
        )
        return {
            "number": number.id,
            "call": c.id,
            "user": ann.id,
            "sid": c.call_sid,
            "token": token.id,
        }


def _give_data(s, user_id: int, phone: str, letter: str, name: str) -> None:
    """B has numbers, calls and recordings of their own too."""
    number = UserPhoneNumber(
        user_id=user_id, phone_number=phone, phone_number_sid="PN" + letter * 32, friendly_name=name
    )
    s.add(number)
    s.flush()
    c = TwilioCall(
        user_id=user_id,
        number_id=number.id,
        call_sid="CA" + letter * 32,
        direction="outbound",
        from_number=phone,
        to_number="+16465550100",
        status="completed",
        started_at=datetime.now(UTC),
    )
    s.add(c)
    s.flush()
    s.add(
        TwilioRecording(
            user_id=user_id,
            call_id=c.id,
            recording_sid="RE" + letter * 32,
            call_sid=c.call_sid,
            duration_seconds=7,
        )
    )


def _snapshot():
    with session_scope() as s:
        return {
            "numbers": [
                (r.id, r.user_id, r.friendly_name, r.status, r.record_calls)
                for r in s.exec(select(UserPhoneNumber))
            ],
            "calls": [(r.id, r.user_id, r.status) for r in s.exec(select(TwilioCall))],
            "recordings": [(r.id, r.deleted_at) for r in s.exec(select(TwilioRecording))],
            "users": [
                (u.id, u.role, u.is_suspended, u.password_hash) for u in s.exec(select(User))
            ],
            "costs": len(s.exec(select(CostItem)).all()),
            "api_tokens": [
                (t.id, t.user_id, t.name, t.revoked_at)
                for t in s.exec(select(ApiToken).where(ApiToken.name == "Ann's token"))
            ],
        }


def _args_for(fn, ids) -> list[list]:
    params = [p for p in inspect.signature(fn).parameters.values() if p.name != "self"]
    if not params:
        return [[]]
    candidates = [
        ids["number"],
        ids["call"],
        ids["user"],
        ids["sid"],
        ids["token"],
        str(ids["number"]),
        True,
        {"email": "someone@example.com", "password": "x" * 12},
    ]
    return [[value] * len(params) for value in candidates]


def _shows_a(state) -> bool:
    text = repr({k: v for k, v in state.dict(include_computed=False).items()})
    return any(
        mark in text for mark in ("Ann's line", "ann@example.com", "212) 555-0100", "Ann's token")
    )


@pytest.mark.parametrize("who", ["anonymous", "bob"])
def test_no_handler_leaks_or_changes_anothers_data(sqlite_db, who):
    ids = _seed()
    before = _snapshot()
    token = login_token("bob@example.com", PASSWORD) if who == "bob" else "not-a-session"
    checked = 0
    for cls, name in _handlers():
        for args in _args_for(cls.event_handlers[name].fn, ids):
            state = state_for(cls, token)
            # A client may set any var first: point every id-like var at A's objects.
            pointers = {
                "edit_id": ids["number"],
                "release_id": ids["number"],
                "delete_id": ids["number"],
                "revoke_id": ids["token"],
                "number": str(ids["number"]),
            }
            for var, value in pointers.items():
                if hasattr(state, var):
                    setattr(state, var, value)
            # Wrong argument shapes may be refused outright; that is fine.
            with contextlib.suppress(TypeError, ValueError, AttributeError):
                call(state, name, *args)
            assert not _shows_a(state), f"{cls.__name__}.{name}{tuple(args)} showed A's data"
            checked += 1
    assert checked > 50
    after = _snapshot()
    # B may create things of their own (e.g. a presence heartbeat); A's rows are untouched.
    assert after == before


def test_admin_handlers_refuse_non_admins(sqlite_db):
    _seed()
    from callplatform.pages.admin import AdminState

    bob = state_for(AdminState, login_token("bob@example.com", PASSWORD))
    with session_scope() as s:
        ann_id = s.exec(select(User).where(User.email == "ann@example.com")).one().id
    for name in ("load", "promote", "suspend", "reactivate"):
        call(bob, name, *([ann_id] if name != "load" else []))
    assert bob.rows == []
    with session_scope() as s:
        ann = s.get(User, ann_id)
        assert ann.role == Role.USER and not ann.is_suspended
        assert not s.exec(select(AuditEvent).where(AuditEvent.action.startswith("admin"))).all()
