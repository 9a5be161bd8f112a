"""Tables that become stacked rows on phones: below 40rem each row is a card of
'label value' lines (the label comes from the cell's `data-label`), so nothing is cut off
or needs a sideways scroll at 390 px."""

from __future__ import annotations

import reflex as rx

PHONE = "@media (max-width: 40rem)"

STACKED = {
    PHONE: {
        # Radix wraps the table in a scroll area (flex, overflow hidden, sized to the
        # table): every layer becomes a plain block that grows with its rows.
        "& .rt-ScrollAreaRoot, & .rt-ScrollAreaViewport, & .rt-ScrollAreaViewport > div, "
        "& table, & tbody": {
            "display": "block !important",
            "width": "100% !important",
            "min_width": "0 !important",
            "height": "auto !important",
            "overflow": "visible !important",
        },
        "& .rt-ScrollAreaScrollbar": {"display": "none"},
        "& thead": {"display": "none"},
        "& tr": {
            "display": "block",
            "padding": "0.5rem 0",
            "border_bottom": "1px solid var(--gray-a5)",
        },
        "& td": {
            "display": "flex",
            "flex_wrap": "wrap",
            "gap": "0.25rem 0.75rem",
            "justify_content": "space-between",
            "align_items": "center",
            "box_shadow": "none",
            "padding": "0.25rem 0.25rem",
            "overflow_wrap": "anywhere",
            "min_width": "0",
            # Radix gives a cell a fixed height (a minimum in a table, not in a flex
            # row): a tall cell's lines would run over the next ones.
            "height": "auto",
        },
        "& td[data-label]::before": {
            "content": "attr(data-label)",
            "color": "var(--gray-11)",
            "font_size": "var(--font-size-1)",
        },
        "& td[data-label='']::before": {"content": "none"},
    }
}


def cell(label: str, *children, **props) -> rx.Component:
    """A table cell that names its column when the row is stacked."""
    return rx.table.cell(*children, data_label=label, **props)


def stacked_table(headers: list[str] | tuple[str, ...], body, **props) -> rx.Component:
    """A table with a header row, stacked on phones (see STACKED)."""
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(body),
        width="100%",
        style=STACKED,
        **props,
    )
