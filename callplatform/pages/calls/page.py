"""Calls page: the user's call log with filters, paging and CSV export."""

from __future__ import annotations

import reflex as rx

from callplatform import routes
from callplatform.components.layout import empty_state, page_shell
from callplatform.components.when import when
from callplatform.models import CallStatus
from callplatform.pages.calls.state import ALL
from callplatform.pages.calls.state import CallsState as S
from callplatform.state.call_views import CallRow

# [value, what people call it], in the order people look for them.
STATUS_CHOICES = [
    [CallStatus.COMPLETED.value, CallStatus.COMPLETED.label],
    ["missed", "Missed"],
    *[
        [s.value, s.label]
        for s in (
            CallStatus.BUSY,
            CallStatus.NO_ANSWER,
            CallStatus.FAILED,
            CallStatus.CANCELED,
            CallStatus.IN_PROGRESS,
            CallStatus.RINGING,
        )
    ],
]


def _select(name: str, value, items: list[list[str]] | rx.Var, label: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, placeholder=label),
        rx.select.content(
            rx.select.item(f"All {label.lower()}", value=ALL),
            rx.foreach(items, lambda i: rx.select.item(i[1], value=i[0])),
        ),
        value=value,
        on_change=lambda v: S.set_filter(name, v),
    )


def _filters() -> rx.Component:
    return rx.flex(
        _select("number", S.number, S.number_options, "Numbers"),
        _select(
            "direction",
            S.direction,
            [["inbound", "Inbound"], ["outbound", "Outbound"]],
            "Directions",
        ),
        _select("status", S.status, STATUS_CHOICES, "Statuses"),
        rx.input(
            type="date",
            value=S.since,
            on_change=lambda v: S.set_filter("since", v),
            aria_label="From date",
        ),
        rx.input(
            type="date",
            value=S.until,
            on_change=lambda v: S.set_filter("until", v),
            aria_label="To date",
        ),
        rx.input(
            placeholder="Search numbers",
            value=S.search,
            id="call-search",
            on_change=lambda v: S.set_filter("search", v).debounce(300),
        ),
        rx.spacer(),
        rx.button(
            rx.icon("download", size=14),
            "Export CSV",
            variant="soft",
            on_click=S.export_csv,
            id="export-csv",
        ),
        gap="2",
        wrap="wrap",
        align="center",
        width="100%",
    )


def _row(call: CallRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.icon(
                rx.cond(call.direction == "inbound", "phone-incoming", "phone-outgoing"), size=16
            )
        ),
        rx.table.cell(when(call.started_at, format="MMM D, HH:mm")),
        rx.table.cell(call.from_display, white_space="nowrap"),
        rx.table.cell(call.to_display, white_space="nowrap"),
        rx.table.cell(call.number_name),
        rx.table.cell(rx.badge(call.status, color_scheme=call.status_color)),
        rx.table.cell(call.duration, class_name="call-duration"),
        rx.table.cell(call.cost, class_name="call-cost"),
        rx.table.cell(rx.cond(call.has_recording, rx.icon("mic", size=14, aria_label="Recorded"))),
        rx.table.cell(rx.link("Details", href=f"{routes.CALLS}/" + call.id.to_string())),
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


def calls_page() -> rx.Component:
    return page_shell(
        rx.moment(interval=5000, on_change=S.refresh, display="none"),
        _filters(),
        rx.cond(S.error != "", rx.callout(S.error, color_scheme="red")),
        rx.cond(
            S.rows.length() > 0,
            _table(),
            empty_state(
                "phone",
                "No calls here yet",
                "Open the phone (bottom right) to call from one of your numbers. "
                "Calls to your numbers appear here too.",
                rx.link(rx.button("Get a number"), href=routes.NUMBERS),
            ),
        ),
        rx.hstack(
            rx.button("Previous", variant="soft", on_click=S.previous_page, disabled=S.page <= 1),
            rx.text("Page ", S.page, size="2"),
            rx.button("Next", variant="soft", on_click=S.next_page, disabled=~S.has_next),
            justify="end",
            width="100%",
            align="center",
        ),
        active="Calls",
        title="Calls",
    )
