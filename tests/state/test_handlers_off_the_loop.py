"""No event handler does database or network I/O on the event loop.

Reflex runs every handler on the server's one event loop: a query or a Twilio request
made there stalls every user's events while it runs (with the in-process Twilio sandbox,
even the answer it waits for). So handlers that touch data are async and do that work in
a worker thread. Two checks, both over every handler enumerated from the app (a new one
is covered the day it lands):

- statically, a plain (sync) handler must be one of PURE, reviewed to touch only the
  tab's own state;
- by running each one as Reflex does, on an event loop, signed in as an admin with data
  (and anonymously), with Twilio played by the sandbox over real HTTP: no SQL statement
  and no socket connect or send happens on the loop's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import socket
import threading

import pytest
from reflex.istate.data import PageData
from reflex.state import State
from sqlalchemy import event
from sqlalchemy.engine import Engine

import callplatform.callplatform  # noqa: F401  (registers every page and its state)
from callplatform import config
from callplatform.accounts import api_tokens, auth
from callplatform.db import session_scope
from callplatform.models import Role, TwilioCall, TwilioRecording
from callplatform.numbers import inventory, pricing
from callplatform.telephony import client
from tests.helpers import member_of, personal_workspace
from tests.state.harness import login_token, state_for

PASSWORD = "long enough pw"

# Sync handlers that only read or set the tab's own vars (or chain another handler):
# no database, no Twilio. Anything else must be async and do its I/O in a thread.
PURE = {
    "AnalyticsState.set_range",
    "ApiTokensState.ask_revoke",
    "AssignState.close_assign",
    "AssignState.toggle_assignee",
    "CapState.close_cap",
    "CapState.set_cap_value",
    "ApiTokensState.cancel_revoke",
    "ApiTokensState.hide_token",
    "AdminState.set_search",
    "AuditState.set_kind",
    "CallsState.set_filter",
    "LoginState.clear_errors",
    "RegisterState.clear_errors",
    "CallsState.clear_filters",
    "ComposerState.edit_to",
    "ComposerState.pick_number",
    "ComposerState.drop_pictures",
    "MessagesState.clear_search",
    "SoftphoneState.device_event",
    "SoftphoneState.dial",
    "SoftphoneState.set_caller_id",
    "SoftphoneState.set_to",
    "SoftphoneState.toggle",
    "SoftphoneState.toggle_mute",
    "CallTransferState.set_target",
    "CallTransferState.set_target_member",
    "ContactsState.cancel_delete",
    "ContactsState.cancel_edit",
    "ContactsState.start_add",
    "NumbersState.ask_release",
    "NumbersState.cancel_edit",
    "NumbersState.cancel_release",
    "NumbersState.set_area_code",
    "NumbersState.set_contains",
    "NumbersState.set_country",
    "NumbersState.set_edit_name",
    "NumbersState.set_toll_free",
    "RecordingsState.ask_delete",
    "RoutingEditorState.add_closure",
    "RoutingEditorState.add_option",
    "RoutingEditorState.remove_closure",
    "RoutingEditorState.remove_option",
    "RoutingEditorState.set_advanced_text",
    "RoutingEditorState.set_choice",
    "RoutingEditorState.set_day",
    "RoutingEditorState.set_field",
    "RoutingEditorState.show_advanced",
    "RoutingEditorState.toggle_member",
    "RecordingsState.cancel_delete",
    "TeamState.ask_remove",
    "TeamState.cancel_remove",
    "TeamState.hide_link",
    "TeamState.show_create",
    "UsageState.set_month",
    "UsageState.show_kind",
    "UserCapState.close",
    "UserCapState.set_cap",
}
# A handler refusing arguments of the wrong shape is fine.
REFUSALS = (TypeError, ValueError, AttributeError)


def _our_handlers() -> dict[str, tuple[type[State], str]]:
    """Every handler the app defines (Reflex's own apart), by `Class.name`, each once."""
    found, todo = {}, [State]
    while todo:
        cls = todo.pop(0)
        todo.extend(cls.get_substates())
        for name, handler in cls.event_handlers.items():
            if handler.fn.__module__.startswith("callplatform"):
                found.setdefault(handler.fn.__qualname__, (cls, name))
    return found


def _is_async(fn) -> bool:
    return inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn)


def test_only_pure_handlers_are_synchronous():
    handlers = _our_handlers()
    assert len(handlers) > 50
    sync = {
        qualname
        for qualname, (cls, name) in handlers.items()
        if not _is_async(cls.event_handlers[name].fn)
    }
    # Equal, not a subset: an entry for a handler that went async or away goes too.
    assert sync == PURE, f"sync handlers not reviewed as pure: {sorted(sync - PURE)}"


class LoopIO:
    """Records SQL statements and socket connects/sends made on the watched thread."""

    def __init__(self) -> None:
        self.thread: int | None = None
        self.seen: list[str] = []

    def note(self, what: str) -> None:
        if threading.get_ident() == self.thread:
            self.seen.append(what)


@pytest.fixture
def loop_io(monkeypatch):
    watch = LoopIO()

    def on_sql(_conn, _cursor, statement, *_args):
        watch.note(f"SQL {statement.split(None, 1)[0]}")

    def on_commit(_conn):
        watch.note("SQL COMMIT")

    def wrap(method_name):
        original = getattr(socket.socket, method_name)

        def watched(sock, *args, **kwargs):
            watch.note(f"socket.{method_name}")
            return original(sock, *args, **kwargs)

        monkeypatch.setattr(socket.socket, method_name, watched)

    event.listen(Engine, "before_cursor_execute", on_sql)
    event.listen(Engine, "commit", on_commit)
    # Every HTTP request connects or sends (asyncio's own wake-up pipe only uses send/recv).
    for method_name in ("connect", "connect_ex", "sendall"):
        wrap(method_name)
    yield watch
    event.remove(Engine, "before_cursor_execute", on_sql)
    event.remove(Engine, "commit", on_commit)


@pytest.fixture
def sandbox_twilio(sqlite_db, live_api, monkeypatch):
    """SQLite, and the built-in sandbox playing Twilio over real HTTP."""
    monkeypatch.setenv("TWILIO_API_BASE_URL", f"{live_api}/_sandbox/twilio")
    monkeypatch.setenv("PUBLIC_BASE_URL", live_api)
    config.reset_settings()
    client.clear_client_cache()
    pricing.clear_cache()
    yield
    client.clear_client_cache()


def _seed() -> dict:
    """An admin with a number (so a Twilio subaccount), a call, a recording and an API
    token; and another user with a number, for the admin to suspend."""
    with session_scope() as s:
        admin = auth.create_user(session=s, email="root@example.com", password=PASSWORD)
        admin.role = Role.ADMIN
        other = auth.create_user(session=s, email="sue@example.com", password=PASSWORD)
        ids = {"admin": admin.id, "other": other.id}
    offers = inventory.search_numbers(area_code="415")
    for (who, user_id), offer in zip(ids.copy().items(), offers, strict=False):
        with session_scope() as s:
            ids[f"{who}_number"] = inventory.buy_number(
                session=s, member=member_of(user_id), phone_number=offer.phone_number
            ).id
    with session_scope() as s:
        number = ids["admin_number"]
        call = TwilioCall(
            workspace_id=personal_workspace(ids["admin"]),
            handled_by=ids["admin"],
            number_id=number,
            call_sid="CA" + "b" * 32,
            direction="inbound",
            from_number="+12125550100",
            to_number=offers[0].phone_number,
            status="completed",
        )
        s.add(call)
        s.flush()
        recording = TwilioRecording(
            workspace_id=personal_workspace(ids["admin"]),
            call_id=call.id,
            recording_sid="RE" + "c" * 32,
            call_sid="x",
        )
        s.add(recording)
        token, _raw = api_tokens.create_token(session=s, owner_id=ids["admin"], name="mine")
        s.flush()
        ids.update(call=call.id, recording=recording.id, token=token.id)
    return ids


def _argument_shapes(fn, ids: dict) -> list[list]:
    params = [p for p in inspect.signature(fn).parameters.values() if p.name != "self"]
    if not params:
        return [[]]
    form = {
        "name": "a token",
        "cap": "25",
        "default_cap": "50",
        "calls_per_minute": "10",
        "user_id": str(ids["other"]),
        "user_cap": "20",
        "current_password": "not the password",
        "new_password": "another long password",
        "confirm": "another long password",
    }
    values = [
        ids["other"],
        ids["admin_number"],
        ids["call"],
        ids["recording"],
        ids["token"],
        "+14155550199",
        True,
        form,
    ]
    return [[value] * len(params) for value in values]


def _open_tab(cls, token: str, ids: dict):
    state = state_for(cls, token)
    root = state._get_root_state()
    root.rx_router_page = PageData(path="/", params={"call_id": str(ids["call"])})
    # A client may set any var first: point the id-like ones at real rows.
    for var, value in {
        "edit_id": ids["admin_number"],
        "release_id": ids["admin_number"],
        "delete_id": ids["recording"],
        "revoke_id": ids["token"],
        "edit_name": "Renamed",
    }.items():
        if hasattr(state, var):
            setattr(state, var, value)
    return state


def _run_on_a_loop(watch: LoopIO, state, name: str, args: list) -> None:
    """Run one handler the way Reflex does: called on the event loop's thread, awaited
    and drained there; the loop's thread is the one watched. The loop gets a thread of
    its own (the browser tests' sync Playwright keeps a loop running in this one)."""
    fn = type(state).event_handlers[name].fn
    failure = []

    async def drive():
        result = fn(state, *args)
        if inspect.isawaitable(result):
            result = await result
        if inspect.isasyncgen(result):
            async for _item in result:
                pass
        elif inspect.isgenerator(result):
            for _item in result:
                pass

    def loop_thread():
        watch.thread = threading.get_ident()
        try:
            with contextlib.suppress(*REFUSALS):
                asyncio.run(drive())
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's thread
            failure.append(exc)
        finally:
            watch.thread = None

    thread = threading.Thread(target=loop_thread)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


@pytest.mark.parametrize("who", ["admin", "anonymous"])
def test_no_handler_does_io_on_the_event_loop(sandbox_twilio, loop_io, who):
    ids = _seed()
    offenders, ran = {}, 0
    for qualname, (cls, name) in sorted(_our_handlers().items()):
        for args in _argument_shapes(cls.event_handlers[name].fn, ids):
            # A fresh session each time: logging out or a password change ends one.
            token = login_token("root@example.com", PASSWORD) if who == "admin" else "nobody"
            _run_on_a_loop(loop_io, _open_tab(cls, token, ids), name, args)
            ran += 1
        if loop_io.seen:
            offenders[qualname] = sorted(set(loop_io.seen))
            loop_io.seen.clear()
    assert ran > 100
    assert not offenders, f"I/O on the event loop: {offenders}"
