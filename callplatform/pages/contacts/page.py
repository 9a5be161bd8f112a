"""The Contacts page: the workspace's contacts, searched, added, edited, deleted,
imported from CSV and exported."""

from __future__ import annotations

import reflex as rx

from callplatform.components.layout import empty_state, page_shell
from callplatform.pages.contacts.state import ContactsState as S
from callplatform.pages.contacts.views import contact_list, delete_dialog, edit_dialog, import_card


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.input(
            rx.input.slot(rx.icon("search", size=14)),
            placeholder="Search contacts",
            value=S.search,
            on_change=S.set_search.debounce(300),
            max_length=100,
            id="contact-search",
            flex="1",
            min_width="12rem",
        ),
        rx.button(
            rx.icon("user-plus", size=14), "Add contact", on_click=S.start_add, id="add-contact"
        ),
        rx.hstack(
            rx.button(
                rx.icon("download", size=14),
                "CSV",
                variant="soft",
                on_click=S.export_csv,
                id="export-contacts",
                aria_label="Export as CSV",
            ),
            rx.button(
                rx.icon("download", size=14),
                "vCard",
                variant="soft",
                on_click=S.export_vcard,
                id="export-vcard",
                aria_label="Export as vCard",
            ),
            spacing="2",
        ),  # fmt: skip
        spacing="2",
        wrap="wrap",
        width="100%",
    )


def _nothing() -> rx.Component:
    return rx.cond(
        S.search != "",
        empty_state("search-x", "No contact matches", "Try a name, a company or 3+ digits."),
        empty_state(
            "contact",
            "No contacts yet",
            "Add the people you call and text: their names then replace their numbers in "
            "calls and threads. Or import them from a CSV file below.",
            rx.button("Add contact", on_click=S.start_add),
        ),
    )


def contacts_page() -> rx.Component:
    return page_shell(
        _toolbar(),
        rx.cond(S.error != "", rx.callout(S.error, color_scheme="red")),
        rx.cond(S.rows.length() > 0, contact_list(), _nothing()),
        import_card(),
        edit_dialog(),
        delete_dialog(),
        active="Contacts",
        title="Contacts",
    )
