"""Every event handler of the app (enumerated from it, as test_every_handler does), called
by team members acting in the team's workspace, with the ids of a number they may not
see in every argument and settable var: Max (a member with no number) and Mia (a member
with number 1) never see number 2's call, voicemail or text, and no handler lets them
change its rows. The team is tests/api/test_member_matrix's: number 1 assigned to Mia,
number 2 to nobody."""

from __future__ import annotations

import pytest

import callplatform.callplatform  # noqa: F401  (registers every page and its state)
from callplatform.accounts import login_workspace, sessions
from callplatform.common.phone_format import display
from callplatform.db import read_scope, session_scope
from callplatform.models import (
    NumberAssignment,
    NumberRouting,
    TwilioCall,
    TwilioRecording,
    WorkspaceMember,
)
from callplatform.models import WorkspaceRole as Role
from tests.api.test_member_matrix import _line, _snapshot
from tests.as_text import text_of
from tests.helpers import PASSWORD, make_user, personal_workspace
from tests.state import exposure
from tests.state.harness import login_token
from tests.state.test_every_handler import _variants
from tests.state.two_users import Owned


def _team():
    people = {name: make_user(f"{name}@example.com") for name in ("ann", "mia", "max")}
    workspace = personal_workspace(people["ann"])
    with session_scope() as s:
        for name in ("mia", "max"):
            s.add(WorkspaceMember(workspace_id=workspace, user_id=people[name], role=Role.MEMBER))
        one = _line(s, workspace_id=workspace, owner=people["ann"], phone="+14155550101",
                    marker="+13035550111")  # fmt: skip
        two = _line(s, workspace_id=workspace, owner=people["ann"], phone="+14155550102",
                    marker="+13035550222")  # fmt: skip
        s.add(NumberAssignment(number_id=one.number_id, user_id=people["mia"]))
        # Number two's routing forwards to its secret party: a page showing it would leak.
        s.add(NumberRouting(number_id=two.number_id,
                            document={"route": [{"type": "forward", "to": two.marker}]}))  # fmt: skip
    with read_scope() as s:
        call = s.get(TwilioCall, two.call_id)
        rec = s.get(TwilioRecording, two.recording_id)
        target = Owned(
            user=people["ann"], email="ann@example.com", phone="+14155550102",
            number=two.number_id, call=two.call_id, call_sid=call.call_sid,
            recording=two.recording_id, recording_sid=rec.recording_sid, token=0, contact=0,
            conversation=two.conversation_id,
        )  # fmt: skip
    return people, workspace, one, two, target


class Login:
    """The member's login, acting in the team's workspace for each call: a handler may
    log them out or switch the workspace their login acts in (they then sign in, or
    switch back, again)."""

    def __init__(self, email: str, user_id: int, workspace: int, numbers: list[int]):
        self.email, self.user_id, self.workspace = email, user_id, workspace
        self.numbers, self.token = numbers, "not-a-session"

    def _rejoin(self) -> None:
        """A member may leave (a handler called with their own id): back in, as before."""
        with session_scope() as s:
            if s.get(WorkspaceMember, (self.workspace, self.user_id)) is None:
                s.add(WorkspaceMember(workspace_id=self.workspace, user_id=self.user_id))
                s.add_all(NumberAssignment(number_id=n, user_id=self.user_id) for n in self.numbers)

    def __call__(self) -> str:
        with read_scope() as s:
            signed_in = sessions.get_session_user(session=s, token=self.token) is not None
        if not signed_in:
            self.token = login_token(self.email, PASSWORD)
        self._rejoin()
        with session_scope() as s:
            login_workspace.switch(
                session=s, token=self.token, user_id=self.user_id, workspace_id=self.workspace
            )
        return self.token


@pytest.mark.parametrize("who", ["max", "mia"])
def test_no_handler_shows_a_member_a_number_not_theirs(sqlite_db, who):
    people, workspace, one, two, target = _team()
    numbers = [one.number_id] if who == "mia" else []
    login = Login(f"{who}@example.com", people[who], workspace, numbers)
    secrets = [two.marker, display(two.marker), two.body, target.call_sid]
    failures, checked, saw_own = set(), 0, 0
    before = _snapshot(two)
    for cls, name in exposure.handlers():
        for args, pointers in _variants(cls, name, target):
            params = {"call_id": two.call_id, "conversation_id": two.conversation_id,
                      "number_id": two.number_id}  # fmt: skip
            state = exposure.open_tab(cls, login(), params)
            for var, value in pointers.items():
                setattr(state, var, value)
            outcome = exposure.run(state, name, args)
            seen = exposure.everything(state, outcome)
            sent = text_of([args, pointers])
            shown = [s for s in secrets if s in seen and s not in sent]
            if shown:
                failures.add(f"{' -> '.join(outcome.ran)} showed {shown}")
            saw_own += one.marker in seen or display(one.marker) in seen
            checked += 1
        if _snapshot(two) != before:
            failures.add(f"{cls.__name__}.{name} changed number 2's rows")
            before = _snapshot(two)
    assert checked > 300
    # Mia sees her own number's calls somewhere (the search would find number 2's alike).
    assert (saw_own > 0) == (who == "mia"), saw_own
    assert not failures, "\n".join(sorted(failures))
