"""The business hours card: on or off, the time zone, each day's opening and closing
(or closed), and the dates closed all day."""

from __future__ import annotations

import reflex as rx

from callplatform.accounts.profile import time_zones
from callplatform.pages.numbers.routing_editor.fields import (
    card,
    error_of,
    error_text,
    hint,
    label,
    select,
)
from callplatform.pages.numbers.routing_editor.state import RoutingEditorState as S


def _time(day, name: str, label: str) -> rx.Component:
    return rx.input(
        type="time",
        value=getattr(day, name),
        on_change=lambda v: S.set_day(day.name, name, v),
        aria_label=label,
        class_name="day-open" if name == "start" else "day-close",
        width="7.25rem",
    )


def _day(day) -> rx.Component:
    """One weekday: ticked (open) with its hours, or closed. On a phone the hours wrap
    under the day's name."""
    times = rx.hstack(
        _time(day, "start", "Opens"), rx.text("to", size="2"), _time(day, "end", "Closes"),
        align="center", spacing="2",
    )  # fmt: skip
    return rx.vstack(
        rx.flex(
            rx.box(
                rx.checkbox(
                    day.label,
                    checked=day.is_open,
                    on_change=lambda on: S.set_day(day.name, "is_open", on),
                    class_name="day-is-open",
                ),
                width="7.5rem",
                flex_shrink="0",
            ),
            rx.cond(day.is_open, times, rx.text("Closed", size="2", color=rx.color("gray", 11))),
            align="center",
            column_gap="3",
            row_gap="1",
            wrap="wrap",
            min_height="2.25rem",
        ),
        error_text(day.error),
        spacing="1",
        width="100%",
        class_name="day",
        data_day=day.name,
    )


def _closures() -> rx.Component:
    return rx.vstack(
        label("Closed on these dates (holidays)"),
        rx.form(
            rx.hstack(
                rx.input(type="date", name="closure", id="closure-date", width="11rem"),
                rx.button("Add date", type="submit", variant="soft", id="add-closure"),
                spacing="2",
                wrap="wrap",
            ),
            on_submit=S.add_closure,
            reset_on_submit=True,
        ),
        rx.flex(
            rx.foreach(
                S.draft.closures,
                lambda d: rx.badge(
                    d,
                    rx.icon(
                        "x",
                        size=12,
                        on_click=S.remove_closure(d),
                        cursor="pointer",
                        aria_label="Remove date",
                    ),  # fmt: skip
                    variant="soft",
                    size="2",
                    class_name="closure",
                ),
            ),
            wrap="wrap",
            spacing="2",
        ),
        error_of("closures"),
        spacing="2",
        width="100%",
    )


def hours_card() -> rx.Component:
    on = S.draft.hours_on
    return card(
        "Business hours",
        rx.hstack(
            rx.switch(checked=on, on_change=lambda v: S.set_field("hours_on", v), id="hours-on"),
            rx.text("Route calls differently outside business hours", size="2"),
            align="center",
        ),
        rx.cond(
            on,
            rx.vstack(
                label("Time zone", "routing-zone"),
                select(
                    [(z, z) for z in time_zones()],
                    S.draft.zone,
                    lambda v: S.set_field("zone", v),
                    id="routing-zone",
                ),  # fmt: skip
                error_of("zone"),
                rx.vstack(rx.foreach(S.draft.days, _day), spacing="2", width="100%"),
                hint("A closing time of 00:00 means open until midnight."),
                _closures(),
                spacing="2",
                width="100%",
            ),
        ),
        id="hours-card",
    )
