"""Dashboard: what to do first, then a summary of the user's own activity."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform import routes
from callplatform.components.layout import page_shell
from callplatform.db import in_read_session
from callplatform.history.overview import get_overview
from callplatform.state.session import SessionState


class DashboardState(SessionState):
    numbers: int = 0
    calls: int = 0
    missed_calls: int = 0
    voicemails: int = 0
    loaded: bool = False

    @rx.event
    async def load(self):
        user = await self._current_user()
        if user is None:
            return self._bounce()
        # In a worker thread: a query on the event loop would stall every user.
        overview = await asyncio.to_thread(in_read_session, get_overview, owner_id=user.id)
        self.numbers, self.calls = overview.numbers, overview.calls
        self.missed_calls, self.voicemails = overview.missed_calls, overview.voicemails
        self.loaded = True


def _stat(label: str, value: rx.Var, icon: str, href: str) -> rx.Component:
    return rx.link(
        rx.card(
            rx.hstack(
                rx.icon(icon, size=22, color=rx.color("accent", 10)),
                rx.vstack(
                    rx.text(label, size="2", color=rx.color("gray", 11)),
                    rx.heading(value, size="6"),
                    spacing="0",
                ),
                align="center",
                spacing="3",
            ),
            width="100%",
        ),
        href=href,
        underline="none",
        width="100%",
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


def _getting_started() -> rx.Component:
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
        rx.cond(DashboardState.loaded & (DashboardState.numbers == 0), _getting_started()),
        rx.grid(
            _stat("Numbers", DashboardState.numbers, "hash", routes.NUMBERS),
            _stat("Calls", DashboardState.calls, "phone", routes.CALLS),
            _stat("Missed calls", DashboardState.missed_calls, "phone-missed", routes.CALLS),
            _stat("Voicemails", DashboardState.voicemails, "voicemail", routes.RECORDINGS),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
            id="dashboard-stats",
            data_loaded=rx.cond(DashboardState.loaded, "yes", "no"),
        ),
        active="Dashboard",
        title="Dashboard",
    )
