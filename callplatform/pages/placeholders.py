"""Pages whose features arrive with later work; each says what it will hold."""

from __future__ import annotations

import reflex as rx

from callplatform import routes
from callplatform.components.layout import empty_state, page_shell


def calls_page() -> rx.Component:
    return page_shell(
        empty_state(
            "phone",
            "No calls yet",
            "Your call history will appear here. Buy a number first, then call from it.",
            rx.link(rx.button("Get a number"), href=routes.NUMBERS),
        ),
        active="Calls",
        title="Calls",
    )


def recordings_page() -> rx.Component:
    return page_shell(
        empty_state(
            "mic",
            "No recordings yet",
            "Turn on recording for a number and its calls and voicemails appear here.",
        ),
        active="Recordings",
        title="Recordings",
    )
