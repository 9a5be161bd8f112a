"""Every event handler of every state of the app, enumerated from the app (a new handler
is covered the day it lands), called by an anonymous client and by user B with user A's
ids and values in every argument and every var a client can set: nothing of A's reaches
the client (no var of any state, computed ones included; no event it is sent: downloads,
toasts, redirects, scripts), and no row of A's changes.

What "A's" means is read from the database (tests/victim.py): every row that is A's and
every distinctive string in them (SIDs, numbers as stored and as displayed, names, email,
hashes, ids in URLs), minus what B's rows hold too."""

from __future__ import annotations

import inspect

import pytest
from sqlmodel import delete, select

import callplatform.callplatform  # noqa: F401  (registers every page and its state)
from callplatform.accounts import sessions
from callplatform.db import read_scope, session_scope
from callplatform.models import AuditEvent, Invitation, Role, User
from tests.as_text import text_of
from tests.state import exposure
from tests.state.harness import login_token
from tests.state.two_users import ANN, BOB, PASSWORD, Owned, seed
from tests.victim import Markers, changes, owned_rows


class Bob:
    """B's session for each call (one handler logs out: B then signs in again)."""

    def __init__(self, who: str):
        self.who, self.token = who, "not-a-session"

    def __call__(self) -> str:
        if self.who == "bob":
            with read_scope() as s:
                if sessions.get_session_user(session=s, token=self.token) is None:
                    self.token = login_token(BOB, PASSWORD)
        return self.token


def _id_for(name: str, cls_name: str, a: Owned) -> int:
    for word, value in (
        ("conversation", a.conversation),
        ("token", a.token),
        ("contact", a.contact),
        ("revoke", a.token),
        ("recording", a.recording),
        ("call", a.call),
        ("user", a.user),
    ):
        if word in name.lower() or word in cls_name.lower():
            return value
    return a.number


def _pointers(cls, a: Owned, with_strings: bool) -> dict:
    """A's ids (and with_strings, A's SIDs and number) in every var a client could set
    (with Reflex's setvar), and in the backend vars it could steer (the dialer's leg)."""
    out = {}
    for name, field in cls.__fields__.items():
        if getattr(field, "_owner", None) is not cls:
            continue
        value = field.default_value()
        if isinstance(value, int) and not isinstance(value, bool) and name.endswith("id"):
            out[name] = _id_for(name, cls.__name__, a)
        elif name in ("number", "from_number"):
            out[name] = str(a.number)
        elif with_strings and name.endswith("_sid"):
            out[name] = a.call_sid
        elif with_strings and name == "caller_id":
            out[name] = a.phone
    return out


def _variants(cls, name: str, a: Owned) -> list[tuple[list | dict, dict]]:
    """(arguments, pointers) to call a handler with."""
    fn = cls.event_handlers[name].fn
    params = [p.name for p in inspect.signature(fn).parameters.values()][1:]
    ids, strings = _pointers(cls, a, False), _pointers(cls, a, True)
    form = {"email": a.email, "password": "wrong password!", "name": "iso token", "cap": "1"}
    form |= {"user_id": a.user, "default_cap": "1", "calls_per_minute": "1", "confirm": "x"}
    form |= {"to": a.phone, "body": "iso text"}
    if not params:
        return [([], {}), ([], ids), ([], strings)]
    values = [a.number, a.call, a.recording, a.token, a.user, str(a.number), True, form]
    values += [a.phone, a.call_sid, a.recording_sid, a.email]
    out = [([v] * len(params), ids) for v in values]
    by_name = {p: _id_for(p, cls.__name__, a) for p in params if p.endswith("id")}
    by_name |= {p: a.call_sid for p in params if p.endswith("sid")}
    for extra in ({"kind": "ringing", "name": "number", "value": str(a.number)}, {}):
        named = {p: extra.get(p, by_name.get(p, form if "form" in p else a.phone)) for p in params}
        out += [(named, ids), (named, strings)]
    return out


def _forget_what_b_typed(a: Owned) -> None:
    """B's own invitations hold the email B typed in the form (A's): B's Team page then
    lists it, which is no leak. Dropped after each handler, so that A's email stays a
    marker for the handlers after it."""
    with session_scope() as s:
        s.exec(delete(Invitation).where(Invitation.invited_by != a.user))


def _check(who: str, a: Owned, markers: Markers, own: Markers) -> list[str]:
    bob, failures, checked, shown_own = Bob(who), {}, 0, 0
    with read_scope() as s:
        baseline = owned_rows(s, a.user)
    for cls, name in exposure.handlers():
        for args, pointers in _variants(cls, name, a):
            state = exposure.open_tab(
                cls,
                bob(),
                {
                    "call_id": a.call,
                    "user": a.user,
                    "conversation_id": a.conversation,
                    "number_id": a.number,
                },  # fmt: skip
            )
            for var, value in pointers.items():
                setattr(state, var, value)
            outcome = exposure.run(state, name, args)
            seen = exposure.everything(state, outcome)
            leaks = markers.found_in(seen, text_of([args, pointers]))
            shown_own += bool(own.found_in(seen))
            if leaks:  # one line per handler and finding: its first example, how often
                key = f"{' -> '.join(outcome.ran)} showed {leaks}"
                example, count = failures.get(key, (f"{args!r} with {pointers}", 0))
                failures[key] = (example, count + 1)
            checked += 1
        _forget_what_b_typed(a)
        with read_scope() as s:
            now = owned_rows(s, a.user)
        for change in changes(baseline, now):
            failures[f"{cls.__name__}.{name} changed A's rows: {change}"] = ("", 1)
        baseline = now
    assert checked > 300
    # B really is signed in: B's own data reaches B (the search would see A's likewise).
    assert shown_own > (50 if who == "bob" else -1) and (who == "bob" or not shown_own)
    return [f"{key} ({n}x, e.g. {ex})" if ex else key for key, (ex, n) in failures.items()]


@pytest.mark.parametrize("who", ["anonymous", "bob"])
def test_no_handler_shows_or_changes_anothers_data(sqlite_db, who):
    people = seed()
    a = people[ANN]
    with read_scope() as s:
        markers = Markers.of(s, a.user, [people[BOB].user])
        own = Markers.of(s, people[BOB].user, [a.user])
    assert len(markers.families) > 40, markers.strings()
    failures = _check(who, a, markers, own)
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


# What the suite above looks for is what a page really shows: signed in as A, these
# handlers give A's own data to the client (in state, and in the CSV's download).
SHOWS_A = [
    ("CallsState", "load"),
    ("CallsState", "export_csv"),
    ("CallDetailState", "load"),
    ("RecordingsState", "load"),
    ("NumbersState", "load"),
    ("ApiTokensState", "load"),
    ("UsageState", "load"),
    ("SoftphoneState", "load_numbers"),
    ("SoftphoneState", "sync"),
    ("ContactsState", "load"),
    ("ContactsState", "export_csv"),
    ("MessagesState", "load"),
    ("ComposerState", "load"),
    ("TeamState", "load"),
    ("RoutingEditorState", "load"),
]


def test_the_search_sees_what_a_page_shows(sqlite_db):
    people = seed()
    a = people[ANN]
    with read_scope() as s:
        markers = Markers.of(s, a.user, [people[BOB].user])
    token = login_token(ANN, PASSWORD)
    states = {cls.__name__: cls for cls in exposure.page_states()}
    for cls_name, name in SHOWS_A:
        params = {"call_id": a.call, "conversation_id": a.conversation, "number_id": a.number}
        state = exposure.open_tab(states[cls_name], token, params)
        outcome = exposure.run(state, name, [])
        assert markers.found_in(exposure.everything(state, outcome)), (cls_name, name)
    csv = exposure.run(exposure.open_tab(states["CallsState"], token), "export_csv", [])
    assert {a.phone, "Zephyr main line"} <= set(markers.found_in(exposure.events_text(csv)))


def test_admin_handlers_refuse_non_admins(sqlite_db):
    people = seed()
    from callplatform.pages.admin import AdminState

    bob = exposure.open_tab(AdminState, login_token(BOB, PASSWORD))
    ann_id = people[ANN].user
    for name in ("load", "promote", "suspend", "reactivate"):
        exposure.run(bob, name, [ann_id] if name != "load" else [])
    assert bob.rows == []
    with session_scope() as s:
        ann = s.get(User, ann_id)
        assert ann.role == Role.USER and not ann.is_suspended
        bob_id = people[BOB].user
        by_bob = select(AuditEvent).where(
            AuditEvent.actor_user_id == bob_id, AuditEvent.action.startswith("admin.")
        )
        assert not s.exec(by_bob).all()
