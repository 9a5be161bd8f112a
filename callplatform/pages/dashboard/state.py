"""State of the Dashboard: short lists (recent and missed calls, voicemails, numbers) and
this month's spend against the cap, read in a worker thread, off the event loop."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx

from callplatform import routes
from callplatform.billing.ledger import round_to_cent
from callplatform.common.phone_format import display
from callplatform.contacts import lookup
from callplatform.db import in_read_session
from callplatform.history.overview import get_overview
from callplatform.state import live
from callplatform.state.call_views import CallRow, RecordingRow
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member
from callplatform.workspaces.access import Member


@dataclass
class CallView:
    id: int = 0
    who: str = ""  # the other party, formatted
    dial: str = ""  # the other party in E.164: what a call back dials
    direction: str = ""
    status: str = ""
    status_color: str = "gray"
    started_at: str = ""


@dataclass
class NumberView:
    number: str = ""
    name: str = ""


@dataclass
class _Loaded:
    recent: list[CallView]
    missed: list[CallView]
    voicemails: list[RecordingRow]
    numbers: list[NumberView]
    spend: str
    cap: str
    cap_percent: int


def _row(call, names: dict[str, str]) -> CallView:
    row = CallRow.of(call, number_name="", cost="", has_recording=False)
    return CallView(
        id=call.id,
        who=names.get(call.other_party) or display(call.other_party),
        dial=call.other_party,
        direction=call.direction,
        status=row.status,
        status_color=row.status_color,
        started_at=row.started_at,
    )


def _name(number) -> str:
    """The number's name, unless it is only the number again (Twilio's default)."""
    digits = "".join(c for c in number.friendly_name if c.isdigit())
    return "" if digits and number.phone_number.endswith(digits) else number.friendly_name


def _names(session, *, workspace_id: int, numbers: list[str]) -> dict[str, str]:
    """Their names among the workspace's contacts (no query for none: a push to an
    empty dashboard costs what it did)."""
    if not numbers:
        return {}
    return lookup.names_for(session=session, workspace_id=workspace_id, numbers=numbers)


def _load(member: Member) -> _Loaded:
    """The overview, the other parties by their names among the workspace's contacts."""
    o = in_read_session(get_overview, member=member)
    parties = [c.other_party for c in [*o.recent_calls, *o.missed_calls]]
    parties += [caller for _r, caller in o.voicemails if caller]
    names = in_read_session(_names, workspace_id=member.workspace_id, numbers=parties)
    return _Loaded(
        recent=[_row(c, names) for c in o.recent_calls],
        missed=[_row(c, names) for c in o.missed_calls],
        voicemails=[
            RecordingRow.of(r, names.get(caller or "") or display(caller or ""))
            for r, caller in o.voicemails
        ],
        numbers=[NumberView(display(n.phone_number), _name(n)) for n in o.numbers],
        spend=f"${o.month_spend:,.2f}",
        cap=f"${round_to_cent(o.cap):,.2f}",
        cap_percent=min(o.cap_percent, 100),
    )


class DashboardState(SessionState):
    recent: list[CallView] = []
    missed: list[CallView] = []
    voicemails: list[RecordingRow] = []
    numbers: list[NumberView] = []
    spend: str = "$0.00"
    cap: str = "$0.00"
    cap_percent: int = 0
    loaded: bool = False
    # An admin or owner (buys numbers); a member is told to ask for one instead.
    manages: bool = True

    @rx.event
    async def load(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        self.manages = member.manages
        # In a worker thread: a query on the event loop would stall every user.
        got = await asyncio.to_thread(_load, member)
        self.recent, self.missed, self.voicemails = got.recent, got.missed, got.voicemails
        self.numbers, self.spend, self.cap = got.numbers, got.spend, got.cap
        self.cap_percent, self.loaded = got.cap_percent, True


live.refresh_on(
    DashboardState, "load", live.CALLS, live.RECORDINGS, live.NUMBERS, route=routes.DASHBOARD
)
