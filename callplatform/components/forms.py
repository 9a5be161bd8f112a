"""Form pieces: a labelled input with its error shown beside it."""

from __future__ import annotations

import reflex as rx


def field(label: str, name: str, error: rx.Var, **input_props) -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", html_for=name, size="2", weight="medium"),
        rx.input(name=name, id=name, width="100%", size="3", **input_props),
        rx.cond(
            error != "",
            rx.text(error, color=rx.color("red", 11), size="2", id=f"{name}-error"),
        ),
        spacing="1",
        width="100%",
    )


def form_error(message: rx.Var) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(
            message, icon="triangle-alert", color_scheme="red", width="100%", id="form-error"
        ),
    )


def auth_card(*children: rx.Component, title: str, subtitle: str) -> rx.Component:
    """The centred card that login and register share."""
    return rx.center(
        rx.card(
            rx.vstack(
                rx.hstack(rx.icon("phone-call", size=26), rx.heading("CallPlatform", size="5")),
                rx.heading(title, size="6"),
                rx.text(subtitle, color=rx.color("gray", 11)),
                *children,
                spacing="4",
                width="100%",
            ),
            size="4",
            width="100%",
            max_width="26rem",
        ),
        min_height="100vh",
        padding="1rem",
        position="relative",
    )


def submit_button(label: str, icon: str, pending: rx.Var, **props) -> rx.Component:
    """A full-width submit button that shows a spinner and disables itself while pending."""
    return rx.button(
        rx.cond(pending, rx.spinner(size="2"), rx.icon(icon, size=16)),
        label,
        type="submit",
        size="3",
        width="100%",
        disabled=pending,
        **props,
    )


def confirm_dialog(
    *,
    title: list,
    description: str,
    confirm_label: str,
    confirm_id: str,
    open: rx.Var,
    on_cancel,
    on_confirm,
    pending: rx.Var | bool = False,
) -> rx.Component:
    """The confirmation asked before anything that can't be undone (red, 'Keep it').

    Escape (or 'Keep it') closes it through `on_cancel`, which resets the state that holds
    it open: `open` is controlled, so Radix's close request must reach the state."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(*title),
            rx.alert_dialog.description(description),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", on_click=on_cancel)),
                rx.button(
                    confirm_label,
                    color_scheme="red",
                    on_click=on_confirm,
                    loading=pending,
                    id=confirm_id,
                ),
                justify="end",
                spacing="3",
                margin_top="1rem",
            ),
        ),
        open=open,
        on_open_change=lambda is_open: on_cancel(),
    )
