"""Numbers page: the workspace's numbers (a member: those assigned to them), their
record setting and call routing; for admins and owners, buying, renaming, releasing
(confirmed) and, in a team, whom each number is assigned to."""

from __future__ import annotations

import reflex as rx

from callplatform.components.layout import empty_state, page_shell
from callplatform.components.tables import cell, stacked_table
from callplatform.components.when import when
from callplatform.pages.numbers.assign import assign_button, assign_dialog
from callplatform.pages.numbers.dialogs import release_dialog, rename_dialog
from callplatform.pages.numbers.routing import routing_button
from callplatform.pages.numbers.search import caps, find_card
from callplatform.pages.numbers.state import NumbersState as S
from callplatform.pages.numbers.views import NumberView


def _assigned(number: NumberView) -> rx.Component:
    return rx.hstack(
        rx.icon("users", size=12, flex_shrink="0"),
        rx.text(number.assignees, size="1", class_name="number-assignees"),
        spacing="1",
        align="center",
        color=rx.color("gray", 11),
    )


def _actions(number: NumberView) -> rx.Component:
    return rx.hstack(
        rx.cond(S.team, assign_button(number.id)),
        routing_button(number.id),
        rx.cond(
            S.manages,
            rx.fragment(
                rx.icon_button(
                    rx.icon("pencil", size=14),
                    variant="soft",
                    on_click=S.start_edit(number.id),
                    aria_label="Rename",
                    class_name="rename-number",
                ),
                rx.icon_button(
                    rx.icon("trash-2", size=14),
                    variant="soft",
                    color_scheme="red",
                    on_click=S.ask_release(number.id),
                    aria_label="Release",
                    class_name="release-number",
                ),
            ),
        ),
    )


def _number_row(number: NumberView) -> rx.Component:
    return rx.table.row(
        cell(
            "",
            rx.vstack(
                rx.text(number.friendly_name, weight="medium", class_name="number-name"),
                rx.cond(
                    number.friendly_name != number.display,
                    rx.text(number.display, size="2", color=rx.color("gray", 11)),
                ),
                rx.cond(S.team, _assigned(number)),
                spacing="0",
            ),
        ),
        cell(
            "Capabilities",
            rx.vstack(
                caps(number.capabilities),
                rx.cond(
                    number.texting_needs != "",
                    rx.text(number.texting_needs, size="1", color=rx.color("amber", 11)),
                ),
                spacing="1",
            ),
        ),
        cell("Price", number.monthly_price),
        cell(
            "Record calls",
            rx.switch(
                checked=number.record_calls,
                on_change=lambda on: S.set_recording(number.id, on),
                disabled=~S.manages,
                aria_label="Record calls",
            ),
        ),
        cell("Since", when(number.purchased_at, format="MMM D, YYYY")),
        cell("", _actions(number)),
        data_number=number.phone_number,
        class_name="number-row",
    )


def _my_numbers() -> rx.Component:
    return rx.cond(
        S.numbers.length() > 0,
        stacked_table(
            ("Number", "Capabilities", "Price", "Record calls", "Since", ""),
            rx.foreach(S.numbers, _number_row),
            id="my-numbers",
        ),
        rx.cond(
            S.manages,
            empty_state(
                "hash",
                "You don't have a number yet",
                "Search for an area code below and buy a number to call from.",
            ),
            empty_state(
                "hash",
                "No number is assigned to you yet",
                "An admin of this workspace assigns numbers; yours will appear here.",
            ),
        ),
    )


def numbers_page() -> rx.Component:
    return page_shell(
        _my_numbers(),
        rx.cond(S.manages, find_card()),
        rename_dialog(),
        release_dialog(),
        assign_dialog(),
        active="Numbers",
        title="Numbers",
    )
