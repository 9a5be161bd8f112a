"""A number's call routing page (/numbers/<id>/routing): the summary in words, updated as
the form changes, the form (read-only for members who may only use the number), saving
with its pending state, and the advanced view (the route document as JSON)."""

from __future__ import annotations

import reflex as rx

from callplatform import routes
from callplatform.components.layout import page_shell
from callplatform.pages.numbers.routing_editor.fields import hint
from callplatform.pages.numbers.routing_editor.hours_views import hours_card
from callplatform.pages.numbers.routing_editor.state import RoutingEditorState as S
from callplatform.pages.numbers.routing_editor.views import (
    menu_card,
    voicemail_card,
    where_card,
)


def _summary() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("git-fork")),
        rx.vstack(
            rx.text(S.summary, id="routing-summary", size="2", weight="medium"),
            rx.cond(
                S.incomplete,
                hint("Some fields need attention (in red): this is the last complete routing."),
            ),
            spacing="1",
        ),
        width="100%",
    )


def _actions(save_label: str, on_save, save_id: str) -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.form_error != "",
            rx.callout(
                S.form_error,
                icon="triangle-alert",
                color_scheme="red",
                width="100%",
                id="routing-error",
            ),  # fmt: skip
        ),
        rx.flex(
            rx.button(
                rx.cond(S.saving, "Saving…", save_label),
                loading=S.saving,
                disabled=S.saving,
                on_click=on_save,
                id=save_id,
                type="button",
            ),
            rx.button(
                "Use the default",
                variant="soft",
                color_scheme="gray",
                type="button",
                disabled=S.saving,
                on_click=S.use_default,
                id="use-default",
            ),  # fmt: skip
            rx.cond(
                S.saved,
                rx.hstack(
                    rx.icon("check", size=16),
                    rx.text("Saved", size="2"),
                    color=rx.color("green", 11),
                    align="center",
                    id="routing-saved",
                ),  # fmt: skip
            ),
            spacing="3",
            wrap="wrap",
            align="center",
        ),
        spacing="3",
        width="100%",
    )


def _form() -> rx.Component:
    return rx.vstack(
        hours_card(),
        where_card(),
        rx.cond(S.uses_menu, menu_card()),
        voicemail_card(),
        rx.cond(
            S.may_edit,
            # Kept in view at the bottom while the long form scrolls (the hours are at its top).
            rx.box(
                _actions("Save routing", S.save, "save-routing"),
                position="sticky",
                bottom="0",
                z_index="2",
                width="100%",
                padding_y="0.75rem",
                background="var(--color-background)",
                border_top=f"1px solid {rx.color('gray', 5)}",
            ),
        ),
        spacing="4",
        width="100%",
    )


def _advanced() -> rx.Component:
    return rx.vstack(
        hint(
            "The routing as a route document (JSON). The form above covers what most "
            "numbers need; this shows and saves everything."
        ),  # fmt: skip
        rx.text_area(
            value=S.advanced_text,
            on_change=S.set_advanced_text,
            rows="18",
            id="routing-document",
            read_only=~S.may_edit,
            width="100%",
            font_family="monospace",
            size="1",
        ),  # fmt: skip
        rx.cond(S.may_edit, _actions("Save JSON", S.save_advanced, "save-routing-json")),
        spacing="3",
        width="100%",
    )


def _editor() -> rx.Component:
    return rx.vstack(
        rx.link(
            rx.hstack(rx.icon("arrow-left", size=14), "Numbers", align="center"),
            href=routes.NUMBERS,
            size="2",
        ),
        rx.heading(S.number_label, size="4", id="routing-number"),
        _summary(),
        rx.cond(
            S.only_advanced,
            rx.callout(
                "This routing uses settings the form doesn't show: it is kept as it is "
                "unless you save the form, which replaces it.",
                icon="info",
                color_scheme="amber",
                width="100%",
            ),  # fmt: skip
        ),
        rx.cond(~S.may_edit, hint("Only the workspace's admins and owners change routing.")),
        rx.hstack(
            rx.switch(checked=S.advanced, on_change=S.show_advanced, id="show-advanced"),
            rx.text("Advanced: edit as JSON", size="2"),
            align="center",
        ),
        rx.cond(
            S.advanced,
            _advanced(),
            rx.el.fieldset(
                _form(),
                disabled=~S.may_edit,
                style={
                    "border": "0",
                    "padding": "0",
                    "margin": "0",
                    "min_width": "0",
                    "width": "100%",
                },
            ),
        ),  # fmt: skip
        spacing="4",
        width="100%",
        max_width="44rem",
        id="routing-editor",
    )


def routing_page() -> rx.Component:
    return page_shell(
        rx.cond(
            S.load_error != "",
            rx.callout(
                S.load_error, icon="triangle-alert", color_scheme="red", id="routing-load-error"
            ),
            rx.cond(S.number_id != 0, _editor(), rx.center(rx.spinner(size="3"), width="100%")),
        ),
        active="Numbers",
        title="Call routing",
    )
