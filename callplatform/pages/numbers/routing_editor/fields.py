"""The form's small parts: a labelled native select (phones show their own picker), an
error in words under its field, and the editor of one choice (where calls go: a menu,
ringing members, forwarding, voicemail), used for open, closed, each key and the menu's
fallback alike."""

from __future__ import annotations

import reflex as rx

from callplatform.pages.numbers.routing_editor.state import RoutingEditorState as S

KIND_LABELS = {
    "menu": "Play the menu",
    "ring": "Ring members",
    "forward": "Forward to a phone number",
    "voicemail": "Go to voicemail",
    "hangup": "Hang up",
}
SELECT_STYLE = {
    "padding": "0.45rem 0.5rem",
    "border_radius": "var(--radius-2)",
    "border": "1px solid var(--gray-7)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
    "font_size": "var(--font-size-2)",
    "max_width": "100%",
    "min_width": "0",
}


def label(text: str, html_for: str = "") -> rx.Component:
    return rx.text(text, as_="label", html_for=html_for, size="2", weight="medium")


def hint(text) -> rx.Component:
    return rx.text(text, size="1", color=rx.color("gray", 11))


def error_text(message, class_name: str = "field-error") -> rx.Component:
    return rx.cond(
        message != "",
        rx.text(message, color=rx.color("red", 11), size="2", class_name=class_name),
    )


def error_of(key: str) -> rx.Component:
    """The error for one of the form's own fields (greeting, zone, ...), if any."""
    return rx.cond(
        S.errors.contains(key),
        rx.text(
            S.errors[key],
            color=rx.color("red", 11),
            size="2",
            class_name="field-error",
            id=f"{key}-error",
        ),  # fmt: skip
    )


def select(choices, value, on_change, **props) -> rx.Component:
    """`choices`: (value, label) pairs, known when the page is built."""
    return rx.el.select(
        *[rx.el.option(text, value=v) for v, text in choices],
        value=value,
        on_change=on_change,
        style=SELECT_STYLE | props.pop("style", {}),
        **props,
    )


def _members(choice, slot) -> rx.Component:
    return rx.vstack(
        hint("Who rings (in every open browser tab they have):"),
        rx.flex(
            rx.foreach(
                S.members,
                lambda m: rx.checkbox(
                    m.name,
                    checked=choice.user_ids.contains(m.id),
                    on_change=lambda on: S.toggle_member(slot, m.id, on),
                    class_name="ring-member",
                ),
            ),
            wrap="wrap",
            spacing="3",
        ),
        spacing="1",
        width="100%",
    )


def _seconds(choice, slot) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Ring for", size="2"),
            rx.input(
                value=choice.seconds,
                on_change=lambda v: S.set_choice(slot, "seconds", v),
                input_mode="numeric",
                width="4.5rem",
                class_name="choice-seconds",
                aria_label="Seconds",
            ),
            rx.text("seconds", size="2"),
            align="center",
            spacing="2",
        ),
        hint("Nobody answers: the caller goes to voicemail."),
        spacing="1",
    )


def choice_editor(choice, slot, kinds: tuple[str, ...], name: str, heading=None) -> rx.Component:
    """Where calls go from one place of the routing; `slot` names it to the handlers
    ("when_open", "when_closed", "fallback" or a menu option's position)."""
    forward = rx.vstack(
        rx.input(
            value=choice.phone,
            on_change=lambda v: S.set_choice(slot, "phone", v),
            placeholder="(415) 555-0123",
            input_mode="tel",
            width="100%",
            max_width="16rem",
            class_name="forward-to",
            aria_label="Forward to",
        ),
        hint("They hear who the call is for and press 1 to take it."),
        _seconds(choice, slot),
        spacing="2",
        width="100%",
    )
    return rx.vstack(
        heading if heading is not None else rx.fragment(),
        select(
            [(k, KIND_LABELS[k]) for k in kinds],
            choice.kind,
            lambda v: S.set_choice(slot, "kind", v),
            class_name=f"choice-kind {name}-kind",
            aria_label="What happens",
        ),
        rx.match(
            choice.kind,
            (
                "ring",
                rx.vstack(
                    _members(choice, slot),
                    _seconds(choice, slot),
                    spacing="2",
                    width="100%",
                ),
            ),  # fmt: skip
            ("forward", forward),
            ("menu", hint("Callers hear the menu set below.")),
            ("voicemail", hint("Callers hear the voicemail greeting set below.")),
            rx.fragment(),
        ),
        error_text(choice.error, class_name="field-error choice-error"),
        spacing="2",
        width="100%",
        class_name=f"choice {name}",
    )


def card(title: str, *children, **props) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(title, size="3"), *children, spacing="3", width="100%"),
        width="100%",
        **props,
    )
