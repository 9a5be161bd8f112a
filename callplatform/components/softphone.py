"""The softphone panel and the incoming-call banner, rendered on every private page."""

from __future__ import annotations

import reflex as rx

from callplatform.components.call_controls import call_controls, transfer_offer
from callplatform.components.call_timer import call_timer
from callplatform.components.voice_device import voice_device
from callplatform.state.softphone import SoftphoneState as D

KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"]


def _keypad() -> rx.Component:
    return rx.grid(
        *[
            rx.button(k, variant="soft", on_click=D.press_key(k), size="3", aria_label=f"Key {k}")
            for k in KEYS
        ],
        columns="3",
        spacing="2",
        width="100%",
    )


def _status_line() -> rx.Component:
    return rx.cond(
        D.status != "idle",
        rx.hstack(
            rx.cond(D.in_call, rx.spinner(size="1"), rx.icon("phone-off", size=14)),
            rx.text(D.status_text, weight="medium", id="call-status"),
            rx.spacer(),
            rx.cond(
                D.status == "in-progress",
                call_timer(D.talk_seconds, id="call-timer", style={"fontFamily": "monospace"}),
                rx.text(D.elapsed, font_family="monospace", id="call-timer"),
            ),
            width="100%",
            align="center",
        ),
    )


def _controls() -> rx.Component:
    return rx.cond(
        D.in_call,
        rx.hstack(
            rx.button(
                rx.icon(rx.cond(D.muted, "mic-off", "mic"), size=16),
                rx.cond(D.muted, "Unmute", "Mute"),
                variant="soft",
                on_click=D.toggle_mute,
                id="mute",
            ),
            rx.button(
                rx.icon("phone-off", size=16),
                "Hang up",
                color_scheme="red",
                on_click=D.hang_up,
                id="hang-up",
                flex="1",
            ),
            width="100%",
        ),
        rx.button(
            rx.icon("phone", size=16),
            "Call",
            color_scheme="green",
            width="100%",
            on_click=D.call,
            disabled=(D.caller_id == "") | (D.to_display == ""),
            id="place-call",
        ),
    )


def _panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Phone", size="3"),
                rx.spacer(),
                rx.icon_button(
                    rx.icon("x", size=14),
                    variant="ghost",
                    on_click=D.toggle,
                    aria_label="Close phone",
                ),
            ),
            rx.cond(
                D.caller_ids.length() > 0,
                rx.select.root(
                    rx.select.trigger(placeholder="Call from…", width="100%", id="caller-id"),
                    rx.select.content(
                        rx.foreach(D.caller_ids, lambda c: rx.select.item(c[1], value=c[0]))
                    ),
                    value=D.caller_id,
                    on_change=D.set_caller_id,
                ),
                rx.text("Buy a number to call from.", size="2", color=rx.color("gray", 11)),
            ),
            rx.input(
                placeholder="Number to call",
                value=D.to_raw,
                on_change=D.set_to,
                id="dial-to",
                size="3",
                width="100%",
                input_mode="tel",
            ),
            rx.cond(
                D.to_error != "",
                rx.text(D.to_error, color=rx.color("red", 11), size="2", id="dial-error"),
                rx.cond(
                    D.to_hint != "",
                    rx.text(D.to_hint, size="2", color=rx.color("amber", 11), id="dial-hint"),
                    rx.text(D.to_display, size="2", color=rx.color("gray", 11), id="dial-display"),
                ),
            ),
            _status_line(),
            rx.cond(
                D.digits != "", rx.text("Sent: ", D.digits, size="1", color=rx.color("gray", 10))
            ),
            _keypad(),
            call_controls(),
            _controls(),
            spacing="3",
            width="100%",
        ),
        width="18rem",
        id="dialer-panel",
    )


def _answered_elsewhere() -> rx.Component:
    """A shared number's call another member took: it stopped ringing here."""
    return rx.cond(
        D.answered_elsewhere != "",
        rx.callout(
            D.answered_elsewhere,
            icon="phone-forwarded",
            color_scheme="gray",
            size="1",
            id="answered-elsewhere",
            role="status",
        ),
    )


def _incoming_banner() -> rx.Component:
    return rx.cond(
        D.incoming_sid != "",
        rx.card(
            rx.hstack(
                rx.icon("phone-incoming", size=22, color=rx.color("green", 10)),
                rx.vstack(
                    rx.text("Incoming call from ", rx.text.strong(D.incoming_from)),
                    rx.text(
                        rx.cond(D.incoming_number != "", D.incoming_number + " ", ""),
                        "to ",
                        D.incoming_to,
                        size="2",
                        color=rx.color("gray", 11),
                    ),
                    spacing="0",
                ),
                rx.button(
                    "Accept", color_scheme="green", on_click=D.respond(True), id="accept-call"
                ),
                rx.button(
                    "Reject",
                    color_scheme="red",
                    variant="soft",
                    on_click=D.respond(False),
                    id="reject-call",
                ),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            id="incoming-call",
            role="alert",
        ),
    )


def softphone() -> rx.Component:
    """Fixed bottom-right: the banner, the panel when open, and the phone button."""
    return rx.box(
        voice_device(on_device_event=D.device_event),
        rx.vstack(
            _answered_elsewhere(),
            _incoming_banner(),
            transfer_offer(),
            rx.cond(D.open, _panel()),
            rx.icon_button(
                rx.icon("phone", size=22),
                size="4",
                radius="full",
                on_click=D.toggle,
                aria_label="Open phone",
                id="open-dialer",
                color_scheme=rx.cond(D.in_call, "green", "indigo"),
            ),
            align="end",
            spacing="3",
        ),
        position="fixed",
        bottom="1.25rem",
        right="1.25rem",
        z_index="50",
    )
