"""What the softphone (state/browser_calls.py) reads and writes in the database. Its handlers
call these in a worker thread: Reflex runs handlers on the one event loop every user
shares, and a query there would stall them all while it runs."""

from __future__ import annotations

from callplatform.calls import browser_calls
from callplatform.common import phone_format
from callplatform.contacts import lookup
from callplatform.db import in_read_session, read_scope
from callplatform.numbers import inventory
from callplatform.workspaces.access import Member


def _caller_label(name: str, pretty: str) -> str:
    return pretty if name in ("", pretty) else f"{name} · {pretty}"


def caller_ids(member: Member) -> list[list[str]]:
    """The numbers the member may call from: [e164, label]."""
    rows = in_read_session(inventory.list_numbers, member=member)
    return [
        [r.phone_number, _caller_label(r.friendly_name, phone_format.display(r.phone_number))]
        for r in rows
    ]


def follow(member: Member, *, following_sid: str):
    """The calls ringing for the member, the progress of the call this tab follows, the
    callers' names among the workspace's contacts ({E.164: name}; read only while
    something rings), and who took the calls that rang here a moment ago."""
    with read_scope() as session:
        ringing = browser_calls.ringing_calls(session=session, member=member)
        progress = (
            browser_calls.get_progress(session=session, member=member, call_sid=following_sid)
            if following_sid
            else None
        )
        names = {}
        if ringing:
            names = lookup.names_for(
                session=session,
                workspace_id=member.workspace_id,
                numbers=[c.from_number for c in ringing],
            )
        taken = browser_calls.answered_by_others(session=session, member=member)
    return ringing, progress, names, taken
