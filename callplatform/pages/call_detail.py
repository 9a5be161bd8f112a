"""A call's detail page: summary, the timeline of its status events, its recordings."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform import routes
from callplatform.common.errors import ServiceError
from callplatform.components.layout import page_shell
from callplatform.components.player import recording_player
from callplatform.components.when import when
from callplatform.db import read_scope
from callplatform.history import call_log
from callplatform.models import status_label
from callplatform.state.call_views import CallRow, EventRow, RecordingRow
from callplatform.state.session import SessionState


def _call_with_cost(owner_id: int, call_id: int):
    """The call, its events and recordings, and its charges (in a worker thread)."""
    with read_scope() as session:
        call, events, recs = call_log.get_call(session=session, owner_id=owner_id, call_id=call_id)
        cost = call_log.charges_for(session=session, owner_id=owner_id, call_ids=[call.id])
    return call, events, recs, cost


class CallDetailState(SessionState):
    call: CallRow = CallRow()
    events: list[EventRow] = []
    recordings: list[RecordingRow] = []
    error: str = ""

    @rx.event
    async def load(self):
        user = await self._current_user()
        if user is None:
            return self._bounce()
        raw = str(self.router.page.params.get("call_id", ""))
        try:
            call, events, recs, cost = await asyncio.to_thread(
                _call_with_cost, user.id, int(raw) if raw.isdigit() else -1
            )
        except ServiceError as exc:
            self.error, self.call, self.events, self.recordings = exc.message, CallRow(), [], []
            return
        self.error = ""
        self.call = CallRow.of(
            call,
            number_name="",
            cost=f"${cost[call.id]:.4f}" if call.id in cost else "",
            has_recording=bool(recs),
        )
        self.events = [
            EventRow(
                status=status_label(e.payload.get("CallStatus", "")), at=e.received_at.isoformat()
            )
            for e in events
        ]
        self.recordings = [RecordingRow.of(r) for r in recs]


def _fact(label: str, value) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color=rx.color("gray", 11)),
        rx.text(value, weight="medium"),
        spacing="0",
    )


def call_detail_page() -> rx.Component:
    c = CallDetailState.call
    return page_shell(
        rx.link(rx.hstack(rx.icon("arrow-left", size=14), rx.text("All calls")), href=routes.CALLS),
        rx.cond(
            CallDetailState.error != "",
            rx.callout(CallDetailState.error, color_scheme="red", id="call-error"),
            rx.fragment(
                rx.card(
                    rx.flex(
                        _fact("Direction", c.direction),
                        _fact("From", c.from_display),
                        _fact("To", c.to_display),
                        _fact("Status", c.status),
                        _fact("Duration", c.duration),
                        _fact("Cost", c.cost),
                        _fact("Started", when(c.started_at, format="MMM D, YYYY HH:mm:ss")),
                        gap="5",
                        wrap="wrap",
                    ),
                    width="100%",
                    id="call-summary",
                ),
                rx.card(
                    rx.vstack(
                        rx.heading("Timeline", size="3"),
                        rx.foreach(
                            CallDetailState.events,
                            lambda e: rx.hstack(rx.badge(e.status), when(e.at, format="HH:mm:ss")),
                        ),
                        spacing="2",
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
