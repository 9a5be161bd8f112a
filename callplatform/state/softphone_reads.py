"""What the softphone (state/browser_calls.py) reads and writes in the database. Its handlers
call these in a worker thread: Reflex runs handlers on the one event loop every user
shares, and a query there would stall them all while it runs."""

from __future__ import annotations

from callplatform.accounts import login_workspace
from callplatform.calls import browser_calls
from callplatform.common import phone_format
from callplatform.contacts import lookup
from callplatform.db import in_read_session, read_scope
from callplatform.numbers import inventory


def _caller_label(name: str, pretty: str) -> str:
    return pretty if name in ("", pretty) else f"{name} · {pretty}"


def caller_ids(user_id: int) -> list[list[str]]:
    """The user's numbers to call from: [e164, label]."""
    rows = in_read_session(inventory.list_numbers, owner_id=user_id)
    return [
        [r.phone_number, _caller_label(r.friendly_name, phone_format.display(r.phone_number))]
        for r in rows
    ]


def follow(user_id: int, *, following_sid: str, token: str = ""):
    """The calls ringing for the user, the progress of the call this tab follows, and
    the callers' names among the contacts of the workspace the login acts in ({E.164:
    name}; read only while something rings)."""
    with read_scope() as session:
        ringing = browser_calls.ringing_calls(session=session, owner_id=user_id)
        progress = (
            browser_calls.get_progress(session=session, owner_id=user_id, call_sid=following_sid)
            if following_sid
            else None
        )
        names = {}
        if ringing and token:
            workspace_id = login_workspace.acting_workspace_id(
                session=session, token=token, user_id=user_id
            )
            if workspace_id is not None:
                names = lookup.names_for(
                    session=session,
                    workspace_id=workspace_id,
                    numbers=[c.from_number for c in ringing],
                )
    return ringing, progress, names
