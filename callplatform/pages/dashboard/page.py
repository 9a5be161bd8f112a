"""Dashboard: what a user looks at each morning. Missed calls (with a call back) and
voicemails first, then recent calls, this month's spend against the cap, their numbers."""

from __future__ import annotations

import reflex as rx

from callplatform import routes
from callplatform.components.layout import page_shell
from callplatform.pages.dashboard.state import DashboardState
from callplatform.pages.dashboard.views import (
    missed_calls,
    numbers,
    recent_calls,
    spend,
    voicemails,
)


def _step(number: str, title: str, text: str, href: str, action: str) -> rx.Component:
    return rx.hstack(
        rx.badge(number, size="3", radius="full"),
        rx.vstack(
            rx.text(title, weight="bold"),
            rx.text(text, size="2", color=rx.color("gray", 11)),
            spacing="0",
            flex="1",
        ),
        rx.link(rx.button(action, variant="soft"), href=href),
        align="center",
        width="100%",
        spacing="3",
    )


def _no_number_yet() -> rx.Component:
    """A member of a team: numbers are bought and assigned by its admins."""
    return rx.callout(
        "No number is assigned to you in this workspace yet. Ask an admin or the owner to "
        "assign you one on the Numbers page: you can then call and text from it here.",
        icon="info",
        id="no-number-assigned",
        width="100%",
    )


def _getting_started() -> rx.Component:
    return rx.cond(DashboardState.manages, _buyers_steps(), _no_number_yet())


def _buyers_steps() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Get started", size="4"),
            _step(
                "1",
                "Buy a phone number",
                "Search by area code and pick one you like.",
                routes.NUMBERS,
                "Find a number",
            ),
            _step(
                "2",
                "Make your first call",
                "Call from your new number right in the browser.",
                routes.CALLS,
                "Open calls",
            ),
            _step(
                "3",
                "Watch your usage",
                "See what every number, minute and recording costs.",
                routes.USAGE,
                "View usage",
            ),
            spacing="4",
            width="100%",
        ),
        width="100%",
        id="getting-started",
    )


def dashboard_page() -> rx.Component:
    return page_shell(
        rx.cond(DashboardState.loaded & (DashboardState.numbers.length() == 0), _getting_started()),
        rx.grid(
            rx.vstack(missed_calls(), voicemails(), recent_calls(), spacing="4", min_width="0"),
            rx.vstack(spend(), numbers(), spacing="4", min_width="0"),
            columns=rx.breakpoints(initial="1", md="3fr 2fr"),
            spacing="4",
            width="100%",
            id="dashboard-stats",
            data_loaded=rx.cond(DashboardState.loaded, "yes", "no"),
        ),
        active="Dashboard",
        title="Dashboard",
    )
