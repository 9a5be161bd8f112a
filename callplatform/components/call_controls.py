"""The softphone's hold and transfer controls, shown while a call is connected: Hold or
Resume, and a panel to bring a number or a teammate in (Transfer, Talk first, Add to
call); what is under way is said meanwhile, and a step that drops the user from the call
asks first. And the banner of a call a teammate is passing to this user."""

from __future__ import annotations

import reflex as rx

from callplatform.state.softphone import SoftphoneState as D
from callplatform.state.softphone_transfer import CallTransferState as T


def _confirm(question: str, yes: str, on_yes, yes_id: str) -> rx.Component:
    return rx.vstack(
        rx.text(question, size="2", weight="medium", id="transfer-question"),
        rx.hstack(
            rx.button(yes, color_scheme="orange", on_click=on_yes, id=yes_id, size="2"),
            rx.button("Cancel", variant="soft", on_click=T.cancel_confirm, size="2"),
        ),
        spacing="2",
        width="100%",
    )


def _panel() -> rx.Component:
    return rx.vstack(
        rx.input(
            placeholder="Number to bring in",
            value=T.target,
            on_change=T.set_target,
            id="transfer-to",
            width="100%",
            input_mode="tel",
        ),
        rx.cond(
            T.team.length() > 0,
            rx.select.root(
                rx.select.trigger(placeholder="Or a teammate…", width="100%", id="transfer-member"),
                rx.select.content(rx.foreach(T.team, lambda m: rx.select.item(m[1], value=m[0]))),
                value=T.target_member,
                on_change=T.set_target_member,
            ),
        ),
        rx.cond(
            T.target_error != "",
            rx.text(T.target_error, color=rx.color("red", 11), size="2", id="transfer-error"),
        ),
        rx.cond(
            T.confirming == "transfer",
            _confirm(
                "Transfer the caller? You'll leave the call once they answer.",
                "Yes, transfer",
                T.bring_in("transfer"),
                "confirm-transfer",
            ),
            rx.hstack(
                rx.button(
                    "Transfer", size="2", on_click=T.bring_in("transfer"), id="transfer-cold"
                ),
                rx.button(
                    "Talk first",
                    size="2",
                    variant="soft",
                    on_click=T.bring_in("consult"),
                    id="transfer-consult",
                ),  # fmt: skip
                rx.button(
                    "Add to call",
                    size="2",
                    variant="soft",
                    on_click=T.bring_in("add"),
                    id="transfer-add",
                ),  # fmt: skip
                wrap="wrap",
                spacing="2",
            ),
        ),
        spacing="2",
        width="100%",
        id="transfer-panel",
    )


def _pending() -> rx.Component:
    consulting = (T.pending == "consult") & T.pending_joined
    return rx.cond(
        T.pending != "",
        rx.vstack(
            rx.text(T.pending_text, size="2", id="transfer-pending"),
            rx.cond(
                T.confirming == "connect",
                _confirm(
                    "Connect them and leave the call?", "Yes, connect", T.connect, "confirm-connect"
                ),  # fmt: skip
                rx.hstack(
                    rx.cond(
                        consulting,
                        rx.button(
                            "Connect",
                            size="2",
                            color_scheme="green",
                            on_click=T.connect,
                            id="transfer-connect",
                        ),  # fmt: skip
                    ),
                    rx.button(
                        rx.cond(consulting, "Back to caller", "Cancel"),
                        size="2",
                        variant="soft",
                        on_click=T.back_to_caller,
                        id="transfer-cancel",
                    ),
                    spacing="2",
                ),
            ),
            spacing="2",
            width="100%",
        ),
    )


def transfer_offer() -> rx.Component:
    """A call a teammate is passing to this user: take it or decline."""
    return rx.cond(
        T.offer_id != 0,
        rx.card(
            rx.hstack(
                rx.icon("phone-forwarded", size=22, color=rx.color("green", 10)),
                rx.text(T.offer_text, weight="medium"),
                rx.button(
                    "Take call",
                    color_scheme="green",
                    on_click=T.take_offer(True),
                    id="accept-transfer",
                ),  # fmt: skip
                rx.button(
                    "Decline",
                    color_scheme="red",
                    variant="soft",
                    on_click=T.take_offer(False),
                    id="decline-transfer",
                ),  # fmt: skip
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            id="transfer-offer",
            role="alert",
        ),
    )


def call_controls() -> rx.Component:
    return rx.cond(
        D.status == "in-progress",
        rx.vstack(
            rx.hstack(
                rx.cond(T.held, rx.badge("On hold", color_scheme="amber", id="on-hold")),
                rx.cond(T.busy != "", rx.text(T.busy, size="1", id="transfer-busy")),
                spacing="2",
                align="center",
            ),
            _pending(),
            rx.hstack(
                rx.button(
                    rx.icon(rx.cond(T.held, "play", "pause"), size=16),
                    rx.cond(T.held, "Resume", "Hold"),
                    variant="soft",
                    on_click=T.toggle_hold,
                    disabled=(T.busy != "") | (T.pending != ""),
                    id="hold",
                ),
                rx.button(
                    rx.icon("phone-forwarded", size=16),
                    "Transfer",
                    variant="soft",
                    on_click=T.toggle_panel,
                    disabled=T.pending != "",
                    id="open-transfer",
                ),
                width="100%",
            ),
            rx.cond(T.panel_open & (T.pending == ""), _panel()),
            spacing="2",
            width="100%",
        ),
    )
