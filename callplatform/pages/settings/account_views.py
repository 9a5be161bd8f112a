"""Settings cards: the profile (name, time zone) and the sessions signed in."""

from __future__ import annotations

import reflex as rx

from callplatform.accounts import profile
from callplatform.components.forms import field
from callplatform.components.tables import cell, stacked_table
from callplatform.components.when import when
from callplatform.pages.settings.account_state import AccountState as S
from callplatform.pages.settings.account_state import SessionView


def _zone_picker() -> rx.Component:
    return rx.vstack(
        rx.text("Time zone", as_="label", html_for="time_zone", size="2", weight="medium"),
        rx.el.select(
            *[rx.el.option(zone, value=zone) for zone in profile.time_zones()],
            name="time_zone",
            id="time_zone",
            default_value=S.time_zone,
            key=S.time_zone,  # a fresh select when the zone in force changes
            style={
                "width": "100%",
                "padding": "0.5rem",
                "border_radius": "var(--radius-2)",
                "border": "1px solid var(--gray-7)",
                "background": "var(--color-surface)",
                "color": "var(--gray-12)",
            },
        ),
        rx.cond(
            S.zone_error != "",
            rx.text(S.zone_error, color=rx.color("red", 11), size="2", id="time_zone-error"),
        ),
        rx.text(
            "Every time on every page is shown in this zone.", size="1", color=rx.color("gray", 11)
        ),
        spacing="1",
        width="100%",
    )


def profile_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Profile", size="4"),
            rx.form(
                rx.vstack(
                    field(
                        "Display name",
                        "display_name",
                        S.name_error,
                        default_value=S.display_name,
                        key=S.display_name,
                        max_length=profile.MAX_NAME,
                        placeholder="How we greet you",
                    ),
                    _zone_picker(),
                    rx.button("Save profile", type="submit", loading=S.saving, id="save-profile"),
                    spacing="3",
                    max_width="24rem",
                    width="100%",
                ),
                on_submit=S.save_profile,
            ),
            spacing="3",
        ),
        width="100%",
    )


def _session_row(s: SessionView) -> rx.Component:
    return rx.table.row(
        cell(
            "Browser",
            rx.text(s.device, size="2", style={"word_break": "break-word"}),
            rx.cond(s.current, rx.badge("This browser", color_scheme="green")),
            max_width="22rem",
        ),
        cell("Signed in", when(s.created_at)),
        cell("Last seen", rx.cond(s.last_seen_at, when(s.last_seen_at, from_now=True), "—")),
        cell(
            "",
            rx.button(
                rx.cond(s.current, "Sign out", "End"),
                size="1",
                color_scheme="red",
                variant="soft",
                on_click=S.end_session(s.id),
            ),
        ),
    )


def sessions_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Where you're signed in", size="4"),
                rx.spacer(),
                rx.button(
                    "Sign out everywhere else",
                    size="2",
                    variant="soft",
                    color_scheme="red",
                    on_click=S.end_other_sessions,
                    id="end-other-sessions",
                ),
                width="100%",
                wrap="wrap",
                spacing="2",
            ),
            stacked_table(
                ("Browser", "Signed in", "Last seen", ""),
                rx.foreach(S.signed_in, _session_row),
                id="sessions",
            ),
            spacing="3",
        ),
        width="100%",
    )
