"""Numbers page: search by area code, buy, name, record setting, call routing, release
(confirmed)."""

from __future__ import annotations

import reflex as rx

from callplatform.components.layout import empty_state, page_shell
from callplatform.components.tables import cell, stacked_table
from callplatform.components.when import when
from callplatform.pages.numbers.dialogs import release_dialog, rename_dialog
from callplatform.pages.numbers.routing import routing_button, routing_dialog
from callplatform.pages.numbers.state import NumbersState as S
from callplatform.pages.numbers.views import NumberView, OfferView


def _caps(caps) -> rx.Component:
    return rx.hstack(rx.foreach(caps, lambda c: rx.badge(c, variant="soft")), spacing="1")


def _search_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.input(
                placeholder="Area code, e.g. 415",
                value=S.area_code,
                on_change=S.set_area_code,
                id="area-code",
                max_length=3,
                input_mode="numeric",
                width=["100%", "10rem"],
            ),
            rx.input(
                placeholder="Contains digits",
                value=S.contains,
                on_change=S.set_contains,
                id="contains",
                max_length=10,
                width=["100%", "10rem"],
            ),
            rx.select.root(
                rx.select.trigger(aria_label="Country"),
                rx.select.content(
                    rx.select.item("United States", value="US"),
                    rx.select.item("Canada", value="CA"),
                ),
                value=S.country,
                on_change=S.set_country,
            ),
            rx.hstack(
                rx.switch(checked=S.toll_free, on_change=S.set_toll_free, id="toll-free"),
                rx.text("Toll-free", size="2"),
                align="center",
            ),
            rx.button(
                rx.icon("search", size=16),
                "Search",
                type="submit",
                loading=S.searching,
                id="search-numbers",
            ),
            spacing="3",
            wrap="wrap",
            align="center",
        ),
        on_submit=S.search,
    )


def _offer_row(offer: OfferView) -> rx.Component:
    buying_this = S.buying == offer.phone_number
    return rx.table.row(
        cell("Number", rx.text(offer.display, weight="medium")),
        cell("Location", offer.place),
        cell("Capabilities", _caps(offer.capabilities)),
        cell("Monthly", S.offer_price),
        cell(
            "",
            rx.button(
                rx.cond(buying_this, "Buying…", "Buy"),
                loading=buying_this,
                disabled=S.buying != "",
                on_click=S.buy(offer.phone_number),
                class_name="buy-number",
                data_number=offer.phone_number,
                size="2",
            ),
        ),
    )


def _results() -> rx.Component:
    return rx.cond(
        S.search_error != "",
        rx.callout(S.search_error, icon="triangle-alert", color_scheme="red", id="search-error"),
        rx.cond(
            S.offers.length() > 0,
            stacked_table(
                ("Number", "Location", "Capabilities", "Monthly", ""),
                rx.foreach(S.offers, _offer_row),
                id="offers",
            ),
            rx.cond(
                S.searched,
                rx.text(
                    "No numbers match. Try another area code or fewer digits.",
                    color=rx.color("gray", 11),
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
                spacing="0",
            ),
        ),
        cell(
            "Capabilities",
            rx.vstack(
                _caps(number.capabilities),
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
                aria_label="Record calls",
            ),
        ),
        cell("Since", when(number.purchased_at, format="MMM D, YYYY")),
        cell(
            "",
            rx.hstack(
                routing_button(number.id),
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
        data_number=number.phone_number,
    )


def _my_numbers() -> rx.Component:
    return rx.cond(
        S.numbers.length() > 0,
        stacked_table(
            ("Number", "Capabilities", "Price", "Record calls", "Since", ""),
            rx.foreach(S.numbers, _number_row),
            id="my-numbers",
        ),
        empty_state(
            "hash",
            "You don't have a number yet",
            "Search for an area code below and buy a number to call from.",
        ),
    )


def numbers_page() -> rx.Component:
    return page_shell(
        _my_numbers(),
        rx.card(
            rx.vstack(
                rx.heading("Find a number", size="4"),
                _search_form(),
                _results(),
                spacing="4",
                width="100%",
            ),
            width="100%",
        ),
        rename_dialog(),
        release_dialog(),
        routing_dialog(),
        active="Numbers",
        title="Numbers",
    )
