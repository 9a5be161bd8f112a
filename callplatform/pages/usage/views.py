"""The Usage page's parts: tiles per kind, spend per number, per member and per day, the
ledger items (a table on wide screens, cards on a phone) and the spend cap."""

from __future__ import annotations

import reflex as rx

from callplatform.components.when import when
from callplatform.pages.usage.state import ItemView, Tile, UsageState


def tile(tile: Tile) -> rx.Component:
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


def per_number() -> rx.Component:
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


def by_member() -> rx.Component:
    """A team's month by member: whose calls and texts, then the numbers' fees."""
    return rx.card(
        rx.heading("By member", size="3", margin_bottom="0.5rem"),
        rx.foreach(
            UsageState.by_member,
            lambda m: rx.hstack(
                rx.text(m.number, overflow_wrap="anywhere", min_width="0"),
                rx.spacer(),
                rx.text(m.amount, weight="medium", white_space="nowrap"),
                width="100%",
                class_name="member-spend",
            ),
        ),
        width="100%",
        id="usage-by-member",
    )


def chart() -> rx.Component:
    return rx.card(
        rx.heading("Daily spend", size="3", margin_bottom="0.5rem"),
        rx.recharts.bar_chart(
            rx.recharts.bar(
                data_key="spend",
                fill=rx.color("accent", 9),
                name="Spend ($)",
                is_animation_active=False,
            ),
            rx.recharts.x_axis(data_key="day"),
            rx.recharts.y_axis(),
            rx.recharts.graphing_tooltip(),
            data=UsageState.daily,
            height=220,
            width="100%",
        ),
        width="100%",
    )


def _describe(i: ItemView) -> rx.Component:
    return rx.cond(i.href != "", rx.link(i.description, href=i.href), rx.text(i.description))


def _item_table() -> rx.Component:
    cols = ["When", "Kind", "What", "You pay"]
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *[rx.table.column_header_cell(c) for c in cols[:3]],
                rx.cond(UsageState.split, rx.table.column_header_cell("Twilio price")),
                rx.table.column_header_cell(cols[3]),
            )
        ),
        rx.table.body(
            rx.foreach(
                UsageState.items,
                lambda i: rx.table.row(
                    rx.table.cell(when(i.when, format="MMM D, HH:mm")),
                    rx.table.cell(i.kind),
                    rx.table.cell(_describe(i)),
                    rx.cond(UsageState.split, rx.table.cell(i.twilio_cost)),
                    rx.table.cell(i.charge),
                ),
            )
        ),
        width="100%",
        id="usage-items",
    )


def _item_cards() -> rx.Component:
    """On a phone each item is a card: nothing runs off the screen's edge."""
    return rx.vstack(
        rx.foreach(
            UsageState.items,
            lambda i: rx.box(
                rx.hstack(
                    rx.text(i.kind, weight="medium"),
                    rx.spacer(),
                    rx.text(i.charge, weight="medium"),
                    width="100%",
                ),
                _describe(i),
                rx.hstack(
                    rx.text(
                        when(i.when, format="MMM D, HH:mm"),
                        size="1",
                        color=rx.color("gray", 11),
                    ),
                    rx.cond(
                        UsageState.split,
                        rx.text("Twilio ", i.twilio_cost, size="1", color=rx.color("gray", 11)),
                    ),
                    spacing="3",
                ),
                width="100%",
                padding_y="0.5rem",
                border_bottom=f"1px solid {rx.color('gray', 5)}",
                overflow_wrap="anywhere",
            ),
        ),
        spacing="0",
        width="100%",
        id="usage-item-cards",
    )


def items() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.heading("Items", size="3"),
            rx.cond(
                UsageState.kind != "",
                rx.button("Show all", variant="ghost", on_click=UsageState.show_kind("")),
            ),
            align="center",
        ),
        rx.tablet_and_desktop(_item_table(), width="100%"),
        rx.mobile_only(_item_cards(), width="100%"),
        width="100%",
    )


def cap_card() -> rx.Component:
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
