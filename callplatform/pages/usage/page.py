"""Usage page: this month's (or a past month's) costs per kind, per number, per member (a
team's admins and owners) and per day, the ledger items behind any total, and the spend
cap. Users see what they pay; an admin also sees what Twilio charged and the platform's
markup."""

from __future__ import annotations

import reflex as rx

from callplatform.components.layout import empty_state, page_shell
from callplatform.pages.usage.state import UsageState
from callplatform.pages.usage.views import by_member, cap_card, chart, items, per_number, tile


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
                rx.cond(
                    UsageState.split,
                    rx.text.span(
                        "Twilio ",
                        UsageState.twilio_cost,
                        " + platform ",
                        UsageState.markup,
                        " = ",
                        id="usage-split",
                    ),
                    "Total ",
                ),
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
        cap_card(),
        rx.grid(
            rx.foreach(UsageState.tiles, tile),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="4",
            width="100%",
        ),
        rx.cond(
            UsageState.items.length() > 0,
            rx.fragment(
                chart(),
                per_number(),
                rx.cond(UsageState.by_member.length() > 0, by_member()),
                items(),
            ),
            empty_state(
                "chart-column",
                "Nothing spent this month",
                "Costs appear here when you buy a number or make calls.",
            ),
        ),
        active="Usage",
        title="Usage",
    )
