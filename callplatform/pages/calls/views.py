"""The call list as a table (tablet and desktop) or as cards (phones), and what the page
says when the list is empty: no calls yet, or none matching the filters."""

from __future__ import annotations

import reflex as rx

from callplatform import routes
from callplatform.components.layout import empty_state
from callplatform.components.when import when
from callplatform.pages.calls.state import CallsState as S
from callplatform.state.call_views import CallRow


def _direction_icon(call: CallRow) -> rx.Component:
    return rx.icon(
        rx.cond(call.direction == "inbound", "phone-incoming", "phone-outgoing"),
        size=16,
        aria_label=call.direction_label,
    )


def _details(call: CallRow) -> rx.Component:
    return rx.link("Details", href=f"{routes.CALLS}/" + call.id.to_string())


def _handler(call: CallRow) -> rx.Component:
    """Who took the call, in a team: "Answered by Ann" / "Placed by Ben"."""
    return rx.cond(
        call.handled_by != "",
        rx.text(
            rx.cond(call.direction == "inbound", "Answered by ", "Placed by "),
            call.handled_by,
            size="1",
            color=rx.color("gray", 11),
            class_name="call-handler",
        ),
    )


def _row(call: CallRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(_direction_icon(call)),
        rx.table.cell(when(call.started_at, format="MMM D, HH:mm"), white_space="nowrap"),
        rx.table.cell(call.from_display, white_space="nowrap"),
        rx.table.cell(call.to_display, white_space="nowrap"),
        rx.table.cell(rx.vstack(rx.text(call.number_name), _handler(call), spacing="0")),
        rx.table.cell(rx.badge(call.status, color_scheme=call.status_color)),
        rx.table.cell(call.duration, class_name="call-duration"),
        rx.table.cell(call.cost, class_name="call-cost"),
        rx.table.cell(rx.cond(call.has_recording, rx.icon("mic", size=14, aria_label="Recorded"))),
        rx.table.cell(_details(call)),
        class_name="call-row",
    )


def _table() -> rx.Component:
    cols = ("", "When", "From", "To", "Number", "Status", "Duration", "Cost", "", "")
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(c) for c in cols])),
        rx.table.body(rx.foreach(S.rows, _row)),
        width="100%",
        id="call-log",
    )


def _card(call: CallRow) -> rx.Component:
    """One call at phone width: who and when, its status, then duration, cost, details."""
    gray = rx.color("gray", 11)
    return rx.card(
        rx.vstack(
            rx.hstack(
                _direction_icon(call),
                when(call.started_at, format="MMM D, HH:mm"),
                rx.spacer(),
                rx.badge(call.status, color_scheme=call.status_color),
                align="center",
                width="100%",
            ),
            rx.text(rx.text.span("From ", color=gray), call.from_display, size="2"),
            rx.text(rx.text.span("To ", color=gray), call.to_display, size="2"),
            rx.cond(call.number_name != "", rx.text(call.number_name, size="1", color=gray)),
            _handler(call),
            rx.hstack(
                rx.text(call.duration, size="2", class_name="call-duration"),
                rx.text(call.cost, size="2", class_name="call-cost"),
                rx.cond(call.has_recording, rx.icon("mic", size=14, aria_label="Recorded")),
                rx.spacer(),
                _details(call),
                align="center",
                width="100%",
            ),
            spacing="1",
            width="100%",
        ),
        width="100%",
        class_name="call-card",
    )


def call_list() -> rx.Component:
    return rx.fragment(
        rx.tablet_and_desktop(_table(), width="100%"),
        rx.mobile_only(
            rx.vstack(rx.foreach(S.rows, _card), spacing="2", width="100%", id="call-cards"),
            width="100%",
        ),
    )


def nothing_to_show() -> rx.Component:
    """No rows: either the filters match nothing (say so, offer to clear them), or there
    are no calls yet (say how to make one)."""
    return rx.cond(
        S.filtered,
        empty_state(
            "search-x",
            "No calls match these filters",
            "Try other filters, or clear them to see all your calls.",
            rx.button("Clear filters", on_click=S.clear_filters, id="clear-filters"),
        ),
        empty_state(
            "phone",
            "No calls here yet",
            "Open the phone (bottom right) to call from one of your numbers. "
            "Calls to your numbers appear here too.",
            rx.link(rx.button("Get a number"), href=routes.NUMBERS),
        ),
    )
