"""Usage page: this month's (or a past month's) costs per kind, per number and per day,
the ledger items behind any total, and the spend cap."""

from __future__ import annotations

import reflex as rx

from callplatform.components.layout import empty_state, page_shell
from callplatform.components.when import when
from callplatform.pages.usage.state import Tile, UsageState


def _tile(tile: Tile) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(tile.label, size="2", color=rx.color("gray", 11)),
            rx.heading(tile.amount, size="6"),
            spacing="1",
        ),
        on_click=UsageState.show_kind(tile.kind),
        cursor="pointer",
        width="100%",
        class_name="usage-tile",
    )


def _per_number() -> rx.Component:
    return rx.card(
        rx.heading("By number", size="3", margin_bottom="0.5rem"),
        rx.foreach(
            UsageState.per_number,
            lambda n: rx.hstack(
                rx.text(n.number), rx.spacer(), rx.text(n.amount, weight="medium"), width="100%"
            ),
        ),
        width="100%",
        id="usage-by-number",
    )


def _chart() -> rx.Component:
    return rx.card(
        rx.heading("Daily spend", size="3", margin_bottom="0.5rem"),
        rx.recharts.bar_chart(
            rx.recharts.bar(data_key="spend", fill=rx.color("accent", 9), name="Spend ($)"),
            rx.recharts.x_axis(data_key="day"),
            rx.recharts.y_axis(),
            rx.recharts.graphing_tooltip(),
            data=UsageState.daily,
            height=220,
            width="100%",
        ),
        width="100%",
    )


def _items() -> rx.Component:
    cols = ("When", "Kind", "What", "Twilio price", "You pay")
    return rx.card(
        rx.hstack(
            rx.heading("Items", size="3"),
            rx.cond(
                UsageState.kind != "",
                rx.button("Show all", variant="ghost", on_click=UsageState.show_kind("")),
            ),
            align="center",
        ),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(c) for c in cols])),
            rx.table.body(
                rx.foreach(
                    UsageState.items,
                    lambda i: rx.table.row(
                        rx.table.cell(when(i.when, format="MMM D, HH:mm")),
                        rx.table.cell(i.kind),
                        rx.table.cell(
                            rx.cond(
                                i.href != "",
                                rx.link(i.description, href=i.href),
                                rx.text(i.description),
                            )
                        ),
                        rx.table.cell(i.twilio_cost),
                        rx.table.cell(i.charge),
                    ),
                )
            ),
            width="100%",
            id="usage-items",
        ),
        width="100%",
    )


def _cap_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(
                    "You have used ",
                    rx.text.strong(UsageState.cap_percent, "%"),
                    " of your ",
                    UsageState.cap,
                    " monthly spend cap.",
                    id="cap-usage",
                ),
                width="100%",
            ),
            rx.progress(value=UsageState.cap_percent, max=100, width="100%"),
            rx.form(
                rx.hstack(
                    rx.input(
                        name="cap",
                        placeholder="Lower your cap, e.g. 25.00",
                        input_mode="decimal",
                        id="own-cap",
                    ),
                    rx.button("Save cap", type="submit", variant="soft"),
                    rx.cond(
                        UsageState.cap_error != "",
                        rx.text(UsageState.cap_error, color=rx.color("red", 11), size="2"),
                    ),
                    align="center",
                    wrap="wrap",
                ),
                on_submit=UsageState.set_own_cap,
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def usage_page() -> rx.Component:
    return page_shell(
        rx.hstack(
            rx.input(
                type="month",
                value=UsageState.month,
                on_change=UsageState.set_month,
                aria_label="Month",
                id="usage-month",
            ),
            rx.spacer(),
            rx.text(
                "Twilio ",
                UsageState.twilio_cost,
                " + platform ",
                UsageState.markup,
                " = ",
                rx.text.strong(UsageState.total, id="usage-total"),
            ),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            UsageState.viewing != "",
            rx.callout(
                "Viewing the usage of " + UsageState.viewing, icon="shield", id="viewing-user"
            ),
        ),
        rx.cond(UsageState.error != "", rx.callout(UsageState.error, color_scheme="red")),
        _cap_card(),
        rx.grid(
            rx.foreach(UsageState.tiles, _tile),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="4",
            width="100%",
        ),
        rx.cond(
            UsageState.items.length() > 0,
            rx.fragment(_chart(), _per_number(), _items()),
            empty_state(
                "chart-column",
                "Nothing spent this month",
                "Costs appear here when you buy a number or make calls.",
            ),
        ),
        active="Usage",
        title="Usage",
    )
