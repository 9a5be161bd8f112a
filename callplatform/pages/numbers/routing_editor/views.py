"""The editor's cards past the hours: where calls go when open and when closed, the menu
(greeting, voice, keys, what no key does) and the voicemail greeting."""

from __future__ import annotations

import reflex as rx

from callplatform.pages.numbers.routing_editor.draft import (
    FALLBACK_KINDS,
    KEY_KINDS,
    MENU_KEYS,
    TOP_KINDS,
    VOICE_CHOICES,
)
from callplatform.pages.numbers.routing_editor.fields import (
    card,
    choice_editor,
    error_of,
    label,
    select,
)
from callplatform.pages.numbers.routing_editor.state import RoutingEditorState as S

_LANGUAGES = {
    "en-US": "US English", "en-GB": "British English", "es-US": "US Spanish", "es-ES": "Spanish",
    "fr-FR": "French", "de-DE": "German", "en": "English", "en-gb": "British English",
    "es": "Spanish", "fr": "French", "de": "German",
}  # fmt: skip


def _voice_label(pair: str) -> str:
    voice, _, language = pair.partition("|")
    name = voice.removeprefix("Polly.") if voice.startswith("Polly.") else f"Basic {voice}"
    return f"{name} ({_LANGUAGES.get(language, language)})"


def where_card() -> rx.Component:
    when = rx.cond(S.draft.hours_on, "During business hours", "When a call comes in")
    return card(
        "Where calls go",
        choice_editor(
            S.draft.when_open, "when_open", TOP_KINDS, "when-open", heading=label(when)
        ),  # fmt: skip
        rx.cond(
            S.draft.hours_on,
            choice_editor(
                S.draft.when_closed,
                "when_closed",
                TOP_KINDS,
                "when-closed",
                heading=label("Outside business hours and on closed dates"),
            ),  # fmt: skip
        ),
        id="where-card",
    )


def _option(option, index) -> rx.Component:
    key = select(
        [(k, f"Key {k}") for k in MENU_KEYS],
        option.key,
        lambda v: S.set_choice(index, "key", v),
        class_name="option-key",
        aria_label="Key",
    )
    remove = rx.icon_button(rx.icon("trash-2", size=14), variant="soft", color_scheme="gray",
                            type="button", on_click=S.remove_option(index),
                            aria_label="Remove this key", class_name="remove-option")  # fmt: skip
    return rx.box(
        choice_editor(
            option,
            index,
            KEY_KINDS,
            "option",
            heading=rx.hstack(key, remove, justify="between", width="100%"),
        ),  # fmt: skip
        padding="0.75rem",
        border=f"1px solid {rx.color('gray', 5)}",
        border_radius="var(--radius-3)",
        width="100%",
        class_name="menu-option",
    )


def _text_area(key: str, value, rows: str = "2", **props) -> rx.Component:
    return rx.text_area(value=value, on_change=lambda v: S.set_field(key, v), id=f"routing-{key}",
                        rows=rows, width="100%", **props)  # fmt: skip


def menu_card() -> rx.Component:
    return card(
        "Menu",
        label("Greeting (read out, then callers press a key)", "routing-greeting"),
        _text_area("greeting", S.draft.greeting),
        error_of("greeting"),
        label("Voice", "routing-voice"),
        select(
            [(v, _voice_label(v)) for v in VOICE_CHOICES],
            S.draft.voice,
            lambda v: S.set_field("voice", v),
            id="routing-voice",
        ),  # fmt: skip
        error_of("voice"),
        rx.vstack(rx.foreach(S.draft.options, _option), spacing="2", width="100%"),
        error_of("options"),
        rx.button(
            rx.icon("plus", size=14),
            "Add a key",
            variant="soft",
            type="button",
            on_click=S.add_option,
            id="add-option",
        ),  # fmt: skip
        rx.separator(size="4"),
        label("When nobody presses a key, or presses a wrong one"),
        rx.flex(
            rx.hstack(
                rx.text("Wait", size="2"),
                rx.input(
                    value=S.draft.timeout,
                    on_change=lambda v: S.set_field("timeout", v),
                    width="4rem",
                    id="routing-timeout",
                    input_mode="numeric",
                ),
                rx.text("seconds for a key,", size="2"),
                align="center",
            ),  # fmt: skip
            rx.hstack(
                rx.text("ask", size="2"),
                rx.input(
                    value=S.draft.attempts,
                    width="3.5rem",
                    id="routing-attempts",
                    on_change=lambda v: S.set_field("attempts", v),
                    input_mode="numeric",
                ),
                rx.text("times", size="2"),
                align="center",
            ),  # fmt: skip
            spacing="2",
            wrap="wrap",
        ),
        error_of("timeout"),
        error_of("attempts"),
        label("Said after a wrong key", "routing-invalid_message"),
        _text_area("invalid_message", S.draft.invalid_message, rows="1"),
        error_of("invalid_message"),
        choice_editor(
            S.draft.fallback, "fallback", FALLBACK_KINDS, "fallback", heading=label("Then")
        ),  # fmt: skip
        id="menu-card",
    )


def voicemail_card() -> rx.Component:
    return card(
        "Voicemail",
        label("Greeting before the tone", "routing-voicemail_greeting"),
        _text_area("voicemail_greeting", S.draft.voicemail_greeting),
        error_of("voicemail_greeting"),
        rx.cond(
            S.uses_menu,
            rx.fragment(),
            rx.fragment(
                label("Voice", "routing-voice"),
                select(
                    [(v, _voice_label(v)) for v in VOICE_CHOICES],
                    S.draft.voice,
                    lambda v: S.set_field("voice", v),
                    id="routing-voice",
                ),
            ),
        ),  # fmt: skip
        id="voicemail-card",
    )
