"""The Numbers page's dialogs: rename, and the confirmation before a release. Escape
closes either and resets the state that holds it open."""

from __future__ import annotations

import reflex as rx

from callplatform.components.forms import confirm_dialog
from callplatform.pages.numbers.state import NumbersState as S


def rename_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Rename number"),
            rx.form(
                rx.vstack(
                    rx.input(
                        value=S.edit_name,
                        on_change=S.set_edit_name,
                        id="edit-name",
                        max_length=64,
                        auto_focus=True,
                    ),
                    rx.cond(
                        S.edit_error != "",
                        rx.text(S.edit_error, color=rx.color("red", 11), size="2"),
                    ),
                    rx.hstack(
                        rx.button("Cancel", variant="soft", type="button", on_click=S.cancel_edit),
                        rx.button("Save", type="submit", id="save-name"),
                        justify="end",
                    ),
                    spacing="3",
                ),
                on_submit=S.save_edit,
            ),
        ),
        open=S.edit_id != 0,
        on_open_change=lambda _open: S.cancel_edit(),
    )


def release_dialog() -> rx.Component:
    return confirm_dialog(
        title=["Release ", S.release_display, "?"],
        description=(
            "The number goes back to Twilio and you stop paying for it. This can't be "
            "undone: you may never get this number back. Your call history and costs "
            "are kept."
        ),
        confirm_label="Release number",
        confirm_id="confirm-release",
        open=S.release_id != 0,
        on_cancel=S.cancel_release,
        on_confirm=S.confirm_release,
        pending=S.releasing,
    )
