"""Every event handler of every page state, called in-process as a client can call it,
with the input no handler may choke on: ids past the INTEGER columns (40 digits, 2**31),
negative ids, the NUL character (psycopg refuses it), other control characters, 100 KB
strings, in every argument, every form field and every var a client can set. On
PostgreSQL, as an admin who owns a number, calls, a recording and an API token (so each
handler gets as far as it can). No handler raises, and the invalid input leaves no row
written, half or whole."""

from __future__ import annotations

import inspect

import pytest
from sqlmodel import select

import callplatform.callplatform  # noqa: F401  (registers every page and its state)
from callplatform.accounts import api_tokens, auth
from callplatform.db import session_scope
from callplatform.models import (
    ApiToken,
    Conversation,
    CostItem,
    IdempotencyKey,
    Invitation,
    Message,
    PlatformSetting,
    Role,
    TwilioCall,
    TwilioRecording,
    TwilioSubaccount,
    User,
    UserPhoneNumber,
    Workspace,
    WorkspaceMember,
)
from callplatform.numbers import inventory
from callplatform.state.session import SessionState
from tests.helpers import member_of, personal_workspace
from tests.state.harness import call, login_token, state_for

PASSWORD = "long enough pw"
# setvar is Reflex's own (it is what sets the vars below); logout would end the session
# every later call needs.
SKIP = {"setvar", "logout"}
INVALID_INTS = [10**40, 2**31, -1, 0]  # as ids: past the INTEGER columns, or none
INVALID_TEXT = ["ann\x00@example.com", "long enough\x00pw", "bell\x07 name", "x" * 100_000]
# Valid somewhere (a token named "-1", a cap of 0), nonsense elsewhere (an id, an amount).
ODD_BUT_VALID = ["1" * 40, *INVALID_INTS]
_GOOD_FORM = {
    "email": "new@example.com",
    "password": "another long pw",
    "confirm": "another long pw",
    "current_password": PASSWORD,
    "new_password": "another long pw",
    "name": "CRM sync",
    "cap": "25",
    "default_cap": "50",
    "calls_per_minute": "10",
    "user_id": "1",
    "user_cap": "20",
    "to": "+12125550100",
    "body": "Hello there",
    "role": "member",
}
FORM_FIELDS = [
    "email",
    "password",
    "confirm",
    "current_password",
    "new_password",
    "name",
    "cap",
    "default_cap",
    "calls_per_minute",
    "user_id",
    "user_cap",
    "to",
    "body",
    "role",
]


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


def _seed() -> None:
    """Ann, an admin with a number bought through the sandbox, a call, a recording, a
    text thread and an API token."""
    with session_scope() as s:
        ann = auth.create_user(session=s, email="ann@example.com", password=PASSWORD)
        ann.role = Role.ADMIN
        s.add(ann)
        ann_id = ann.id
    offer = inventory.search_numbers(area_code="415")[0].phone_number
    with session_scope() as s:
        number = inventory.buy_number(session=s, member=member_of(ann_id), phone_number=offer)
        c = TwilioCall(
            workspace_id=personal_workspace(ann_id),
            handled_by=ann_id,
            number_id=number.id,
            call_sid="CA" + "b" * 32,
            direction="outbound",
            from_number=number.phone_number,
            to_number="+12125550100",
            status="completed",
        )
        s.add(c)
        s.flush()
        s.add(
            TwilioRecording(
                workspace_id=personal_workspace(ann_id),
                call_id=c.id,
                recording_sid="RE" + "c" * 32,
                call_sid=c.call_sid,
                duration_seconds=5,
            )
        )
        api_tokens.create_token(session=s, owner_id=ann_id, name="Ann's token")
        thread = Conversation(
            workspace_id=number.workspace_id,
            number_id=number.id,
            other_party="+12125550100",
            last_preview="Are you there?",
            unread=1,
        )
        s.add(thread)
        s.flush()
        s.add(
            Message(
                workspace_id=number.workspace_id,
                conversation_id=thread.id,
                number_id=number.id,
                direction="inbound",
                message_sid="SM" + "d" * 32,
                from_number="+12125550100",
                to_number=number.phone_number,
                body="Are you there?",
                status="received",
            )  # fmt: skip
        )


def _snapshot() -> dict:
    """The rows a form could write (sessions, audit and throttle rows are bookkeeping)."""
    with session_scope() as s:
        return {
            "users": sorted(
                (u.id, u.email, u.role, u.is_suspended, u.password_hash)
                for u in s.exec(select(User))
            ),
            "numbers": sorted(
                (n.id, n.friendly_name, n.status, n.record_calls)
                for n in s.exec(select(UserPhoneNumber))
            ),
            "calls": sorted((c.id, c.status) for c in s.exec(select(TwilioCall))),
            "recordings": sorted((r.id, r.deleted_at) for r in s.exec(select(TwilioRecording))),
            "tokens": sorted((t.id, t.name, t.revoked_at) for t in s.exec(select(ApiToken))),
            "costs": len(s.exec(select(CostItem)).all()),
            "texts": sorted((m.id, m.status) for m in s.exec(select(Message))),
            "threads": sorted((c.id, c.unread) for c in s.exec(select(Conversation))),
            "keys": len(s.exec(select(IdempotencyKey)).all()),
            "subaccounts": len(s.exec(select(TwilioSubaccount)).all()),
            "workspaces": sorted((w.id, w.name, w.monthly_cap) for w in s.exec(select(Workspace))),
            "members": sorted(
                (m.workspace_id, m.user_id, m.role) for m in s.exec(select(WorkspaceMember))
            ),
            "invitations": sorted((i.id, i.email, i.role) for i in s.exec(select(Invitation))),
            "settings": [
                (x.default_monthly_cap, x.calls_per_minute) for x in s.exec(select(PlatformSetting))
            ],
        }


def _arguments(fn, value, form: dict) -> list:
    params = [p for p in inspect.signature(fn).parameters.values() if p.name != "self"]
    return [form if "form" in p.name else value for p in params]


def _set_client_vars(state, value) -> None:
    """What a client can do first with setvar: every public var of the same kind."""
    for name in type(state).base_vars:
        current = getattr(state, name, None)
        if name.startswith("_") or name == "router" or isinstance(current, bool):
            continue
        if isinstance(current, str) == isinstance(value, str) and isinstance(current, str | int):
            setattr(state, name, value)


def _call_everything(token: str, value, form: dict) -> int:
    called = 0
    for cls, name in _handlers():
        state = state_for(cls, token)
        _set_client_vars(state, value)
        try:
            call(state, name, *_arguments(cls.event_handlers[name].fn, value, form))
        except Exception as exc:  # noqa: BLE001 - reported with what caused it
            raise AssertionError(f"{cls.__name__}.{name} raised on {value!r:.60}: {exc!r}") from exc
        called += 1
    return called


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("value", INVALID_INTS + INVALID_TEXT, ids=repr)
def test_invalid_input_raises_nowhere_and_writes_nothing(telephony, value):
    """In every argument, var and (text) form field; an int in a form is just digits."""
    _seed()
    token = login_token("ann@example.com", PASSWORD)
    before = _snapshot()
    form = dict.fromkeys(FORM_FIELDS, value) if isinstance(value, str) else {}
    assert _call_everything(token, value, form) > 50
    assert _snapshot() == before


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("value", INVALID_TEXT, ids=repr)
def test_one_bad_field_in_an_otherwise_valid_form_raises_nowhere(telephony, value):
    """A form whose other fields pass gets as far as the bad one (then it may save what
    is valid, like a new account's email: only raising is wrong)."""
    _seed()
    token = login_token("ann@example.com", PASSWORD)
    forms = [_GOOD_FORM | {field: value} for field in FORM_FIELDS]
    for cls, name in _handlers():
        fn = cls.event_handlers[name].fn
        if not any("form" in p for p in inspect.signature(fn).parameters):
            continue
        for form in forms:
            try:
                call(state_for(cls, token), name, *_arguments(fn, value, form))
            except Exception as exc:  # noqa: BLE001 - reported with what caused it
                raise AssertionError(f"{cls.__name__}.{name}({form!r:.80}): {exc!r}") from exc


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("value", ODD_BUT_VALID, ids=repr)
def test_odd_but_valid_input_raises_nowhere(telephony, value):
    """What is valid in one field and nonsense in the next may be saved; nothing raises."""
    _seed()
    token = login_token("ann@example.com", PASSWORD)
    assert _call_everything(token, value, dict.fromkeys(FORM_FIELDS, value)) > 50
