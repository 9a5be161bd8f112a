"""The Numbers page's search for a number to buy, by area code, digits, country and
toll-free, and its results with their price (admins and owners only)."""

from __future__ import annotations

import reflex as rx

from callplatform.components.tables import cell, stacked_table
from callplatform.pages.numbers.state import NumbersState as S
from callplatform.pages.numbers.views import OfferView


def caps(caps) -> rx.Component:
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
        cell("Capabilities", caps(offer.capabilities)),
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


def find_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Find a number", size="4"),
            _search_form(),
            _results(),
            spacing="4",
            width="100%",
        ),
        width="100%",
    )
