"""The Contacts page's parts: the list (stacked rows on phones), the add/edit form, the
delete confirmation, and the import (CSV upload) with what it skipped."""

from __future__ import annotations

import reflex as rx

from callplatform.components.forms import confirm_dialog
from callplatform.components.tables import cell, stacked_table
from callplatform.contacts import csv_io
from callplatform.pages.contacts.state import ContactRow
from callplatform.pages.contacts.state import ContactsState as S

UPLOAD_ID = "contacts-upload"
GRAY = rx.color("gray", 11)


def _row(c: ContactRow) -> rx.Component:
    return rx.table.row(
        cell("Name", rx.text(c.name, weight="medium")),
        cell("Company", c.company),
        cell("Numbers", c.numbers),
        cell("Notes", rx.text(c.notes, size="1", color=GRAY, trim="both", max_width="16rem")),
        cell(
            "",
            rx.hstack(
                rx.button("Edit", size="1", variant="soft", on_click=S.start_edit(c.id)),
                rx.cond(
                    c.may_delete,
                    rx.button(
                        "Delete",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=S.ask_delete(c.id),
                    ),
                ),  # fmt: skip
                spacing="2",
            ),
        ),
        class_name="contact-row",
    )


def contact_list() -> rx.Component:
    return stacked_table(
        ["Name", "Company", "Numbers", "Notes", ""], rx.foreach(S.rows, _row), id="contacts"
    )


def _field(label: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="2", weight="medium"), control, spacing="1", width="100%")


def _fields() -> list[rx.Component]:
    wide = {"width": "100%"}
    return [
        _field(
            "Name",
            rx.input(
                name="name", default_value=S.form_name, max_length=100, auto_focus=True,
                id="contact-name", **wide,
            ),
        ),
        _field(
            "Company",
            rx.input(
                name="company", default_value=S.form_company, max_length=100,
                id="contact-company", **wide,
            ),
        ),
        _field(
            "Numbers, one a line",
            rx.text_area(
                name="numbers", default_value=S.form_numbers, rows="3",
                placeholder="+1 415 555 0100 (work)", id="contact-numbers", **wide,
            ),
        ),
        _field(
            "Notes",
            rx.text_area(
                name="notes", default_value=S.form_notes, max_length=2000, rows="3",
                id="contact-notes", **wide,
            ),
        ),
    ]  # fmt: skip


def edit_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.edit_id == 0, "New contact", "Edit contact")),
            rx.form(
                rx.vstack(
                    *_fields(),
                    rx.cond(
                        S.form_error != "",
                        rx.text(
                            S.form_error, color=rx.color("red", 11), size="2", id="contact-error"
                        ),
                    ),
                    rx.hstack(
                        rx.button("Cancel", variant="soft", type="button", on_click=S.cancel_edit),
                        rx.button("Save", type="submit", id="save-contact"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.save,
                # A new form (its defaults read again) for each contact and each refusal.
                key=S.edit_id.to_string() + S.form_error,
            ),
        ),
        open=S.editing,
        on_open_change=lambda _open: S.cancel_edit(),
    )


def delete_dialog() -> rx.Component:
    return confirm_dialog(
        title=["Delete ", S.delete_name, "?"],
        description=(
            "Everyone in the workspace loses this contact: calls and texts with its "
            "numbers show the numbers again. This can't be undone."
        ),
        confirm_label="Delete contact",
        confirm_id="confirm-delete-contact",
        open=S.delete_id != 0,
        on_cancel=S.cancel_delete,
        on_confirm=S.confirm_delete,
    )


def import_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Import from CSV or vCard", size="3"),
            rx.text(
                "The first line names the columns: name (or first and last name), company, "
                "phone columns (mobile, work phone...), notes. A row whose number is already "
                f"a contact's is merged into it. vCards (.vcf) from a phone or address "
                f"book work too. Up to {csv_io.MAX_ROWS:,} rows, 1 MB.",
                size="2",
                color=GRAY,
            ),
            rx.upload(
                rx.vstack(
                    rx.text(
                        rx.cond(
                            rx.selected_files(UPLOAD_ID).length() > 0,
                            rx.selected_files(UPLOAD_ID)[0],
                            "Drop a .csv or .vcf file here, or click to choose one.",
                        ),
                        size="2",
                    ),
                    align="center",
                ),  # fmt: skip
                id=UPLOAD_ID,
                accept={"text/csv": [".csv"], "text/plain": [".txt"], "text/vcard": [".vcf"]},
                max_files=1,
                max_size=csv_io.MAX_BYTES,
                border="1px dashed var(--gray-a7)",
                padding="1rem",
                width="100%",
            ),
            rx.button(
                rx.icon("upload", size=14),
                "Import",
                on_click=[
                    S.import_file(rx.upload_files(upload_id=UPLOAD_ID)),
                    rx.clear_selected_files(UPLOAD_ID),
                ],
                id="import-contacts",
            ),  # fmt: skip
            rx.cond(
                S.import_summary != "", rx.text(S.import_summary, size="2", id="import-summary")
            ),
            rx.foreach(S.import_errors, lambda e: rx.text(e, size="1", color=rx.color("red", 11))),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
