"""A call's detail page: summary, the timeline of its status events (and, for a routed
call, the path it took: hours, menu keys, who rang, forwards, voicemail), its recordings."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import reflex as rx

from callplatform import routes
from callplatform.common.errors import ServiceError
from callplatform.common.phone_format import display
from callplatform.components.layout import page_shell
from callplatform.components.player import recording_player
from callplatform.components.when import when
from callplatform.db import read_scope
from callplatform.history import call_log
from callplatform.history.call_names import handler_names, party_names
from callplatform.models import UserPhoneNumber, status_label
from callplatform.routing import path as routing_path
from callplatform.state import live
from callplatform.state.call_views import CallRow, EventRow, RecordingRow
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member
from callplatform.workspaces.access import Member


def _number_label(number: UserPhoneNumber | None, workspace_id: int) -> str:
    """The workspace's number the call used: its name and the number, or a dash."""
    if number is None or number.workspace_id != workspace_id:
        return "—"
    pretty = display(number.phone_number)
    return pretty if number.friendly_name in ("", pretty) else f"{number.friendly_name} · {pretty}"


def _call_with_cost(member: Member, call_id: int):
    """The call, its events and recordings, its charges, the label of the workspace's
    number it used, the other party's name among the workspace's contacts and who
    handled it (in a worker thread)."""
    with read_scope() as session:
        call, events, recs = call_log.get_call(session=session, member=member, call_id=call_id)
        cost = call_log.charges_for(
            session=session, workspace_id=member.workspace_id, call_ids=[call.id]
        )
        legs = call_log.forwarded_charges(
            session=session, workspace_id=member.workspace_id, call=call
        )
        number = session.get(UserPhoneNumber, call.number_id) if call.number_id else None
        label = _number_label(number, member.workspace_id)
        name = party_names(session=session, workspace_id=member.workspace_id, calls=[call])
        handler = handler_names(session=session, calls=[call]).get(call.handled_by, "")
        routed = routing_path.call_path(session=session, call=call)
    shown = f"${cost[call.id]:.4f}" if call.id in cost else ""
    if legs:
        shown = f"{shown or '$0.0000'} + ${legs:.4f} forwarded"
    return call, timeline(events, routed), recs, shown, label, name.get(call.id, ""), handler


def timeline(events, routed) -> list[EventRow]:
    """Status events and routing decisions, oldest first."""
    rows = [(e.received_at, status_label(e.payload.get("CallStatus", ""))) for e in events]
    rows += [(r.occurred_at, routing_path.describe(r)) for r in routed]
    return [
        EventRow(status=text, at=at.isoformat()) for at, text in sorted(rows, key=lambda r: r[0])
    ]


class CallDetailState(SessionState):
    call: CallRow = CallRow()
    events: list[EventRow] = []
    recordings: list[RecordingRow] = []
    error: str = ""

    @rx.var
    def add_contact_href(self) -> str:
        """The Contacts page with its form open on the other party's number."""
        return f"{routes.CONTACTS}?{urlencode({'add': self.call.other_number})}"

    @rx.var
    def contact_href(self) -> str:
        return f"{routes.CONTACTS}?{urlencode({'q': self.call.other_name})}"

    @rx.event
    async def load(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        raw = str(self.router.page.params.get("call_id", ""))
        try:
            call, events, recs, cost, label, name, handler = await asyncio.to_thread(
                _call_with_cost, member, int(raw) if raw.isdigit() else -1
            )
        except ServiceError as exc:
            self.error, self.call, self.events, self.recordings = exc.message, CallRow(), [], []
            return
        self.error = ""
        self.call = CallRow.of(
            call,
            number_name=label,
            cost=cost,
            has_recording=bool(recs),
            other_name=name,
            handled_by=handler,
        )
        self.events = events
        self.recordings = [RecordingRow.of(r) for r in recs]


def _field(label: str, value, key: str) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(label, min_width="6rem"),
        rx.data_list.value(value, class_name=f"call-field-{key}"),
    )


def _summary(c) -> rx.Component:
    """Labelled fields, one a line: label beside the value, or above it at phone width."""
    return rx.card(
        rx.data_list.root(
            _field("Direction", c.direction_label, "direction"),
            _field("From", c.from_display, "from"),
            _field("To", c.to_display, "to"),
            _field("Number", c.number_name, "number"),
            rx.cond(
                c.handled_by != "",
                _field(
                    rx.cond(c.direction == "inbound", "Answered by", "Placed by"),
                    c.handled_by,
                    "handled-by",
                ),
            ),
            _field("Status", rx.badge(c.status, color_scheme=c.status_color), "status"),
            _field("Started", when(c.started_at, format="MMM D, YYYY HH:mm:ss"), "started"),
            _field("Duration", c.duration, "duration"),
            _field("Cost", c.cost, "cost"),
            orientation={"initial": "vertical", "sm": "horizontal"},
            size="2",
        ),
        width="100%",
        id="call-summary",
    )


def _contact_action(c) -> rx.Component:
    """Who the other party is among the contacts, or one click to add them (the Contacts
    page opens its form with the number filled in)."""
    return rx.cond(
        c.other_name != "",
        rx.link(
            rx.button(rx.icon("contact", size=14), c.other_name, variant="soft"),
            href=CallDetailState.contact_href,
            id="call-contact",
        ),
        rx.link(
            rx.button(rx.icon("user-plus", size=14), "Add to contacts", variant="soft"),
            href=CallDetailState.add_contact_href,
            id="add-to-contacts",
        ),
    )


def call_detail_page() -> rx.Component:
    c = CallDetailState.call
    return page_shell(
        rx.link(rx.hstack(rx.icon("arrow-left", size=14), rx.text("All calls")), href=routes.CALLS),
        rx.cond(
            CallDetailState.error != "",
            rx.callout(CallDetailState.error, color_scheme="red", id="call-error"),
            rx.fragment(
                _summary(c),
                rx.cond(c.other_number != "", _contact_action(c)),
                rx.card(
                    rx.vstack(
                        rx.heading("Timeline", size="3"),
                        rx.foreach(
                            CallDetailState.events,
                            lambda e: rx.hstack(rx.badge(e.status), when(e.at, format="HH:mm:ss")),
                        ),
                        spacing="2",
                        id="call-timeline",
                    ),
                    width="100%",
                ),
                rx.card(
                    rx.vstack(
                        rx.heading("Recordings", size="3"),
                        rx.cond(
                            CallDetailState.recordings.length() > 0,
                            rx.foreach(CallDetailState.recordings, recording_player),
                            rx.text("This call was not recorded.", color=rx.color("gray", 11)),
                        ),
                        spacing="3",
                        width="100%",
                    ),
                    width="100%",
                ),
            ),
        ),
        active="Calls",
        title="Call details",
    )


live.refresh_on(CallDetailState, "load", live.CALLS, live.RECORDINGS, route=routes.CALL_DETAIL)
