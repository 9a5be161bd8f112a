"""Calls page: the user's call log with filters, paging and CSV export."""

from __future__ import annotations

import reflex as rx

from callplatform.components.layout import page_shell
from callplatform.models import CallStatus
from callplatform.pages.calls.state import ALL
from callplatform.pages.calls.state import CallsState as S
from callplatform.pages.calls.views import call_list, nothing_to_show

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


def _search_bar() -> rx.Component:
    """The search (digits of either phone number) and the export, above the filters."""
    return rx.flex(
        rx.input(
            rx.input.slot(rx.icon("search", size=14)),
            placeholder="Search phone number digits, e.g. 555 0100",
            value=S.search,
            id="call-search",
            aria_label="Search by phone number digits",
            title="Matches the digits of either phone number on a call",
            flex="1 1 18rem",  # a full line of its own on a phone
            on_change=lambda v: S.set_filter("search", v).debounce(300),
        ),
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
        max_width="40rem",
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
        gap="2",
        wrap="wrap",
        align="center",
        width="100%",
    )


def calls_page() -> rx.Component:
    return page_shell(
        _search_bar(),
        _filters(),
        rx.cond(
            S.search_error != "",
            rx.callout(S.search_error, icon="info", color_scheme="amber", id="search-error"),
        ),
        rx.cond(S.error != "", rx.callout(S.error, color_scheme="red")),
        rx.cond(S.rows.length() > 0, call_list(), nothing_to_show()),
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
