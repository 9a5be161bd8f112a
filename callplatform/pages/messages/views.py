"""The inbox: threads newest first, or search hits while searching."""

from __future__ import annotations

import reflex as rx

from callplatform import routes
from callplatform.components.when import when
from callplatform.pages.messages.rows import ConversationRow, SearchHit
from callplatform.pages.messages.state import MessagesState as S

MUTED = rx.color("gray", 11)
LINE = f"1px solid {rx.color('gray', 5)}"
SHORT = "MMM D, HH:mm"


def _unread_badge(count) -> rx.Component:
    return rx.cond(
        count > 0, rx.badge(count, radius="full", variant="solid", class_name="thread-unread")
    )


def _thread_link(row: ConversationRow) -> rx.Component:
    is_open = row.id == S.thread.id
    return rx.link(
        rx.vstack(
            rx.hstack(
                rx.text(
                    row.party,
                    weight=rx.cond(row.unread > 0, "bold", "medium"),
                    size="2",
                    class_name="thread-party",
                ),
                rx.spacer(),
                rx.text(when(row.at, format=SHORT), size="1", color=MUTED, white_space="nowrap"),
                width="100%",
                align="center",
            ),
            rx.hstack(
                rx.text(row.preview, size="2", color=MUTED, trim="both", truncate=True),
                rx.spacer(),
                _unread_badge(row.unread),
                width="100%",
                align="center",
            ),
            rx.text("via ", row.number, size="1", color=rx.color("accent", 11), truncate=True),
            spacing="1",
            width="100%",
            min_width="0",
        ),
        href=row.href,
        underline="none",
        color=rx.color("gray", 12),
        display="block",
        padding="0.6rem 0.75rem",
        border_bottom=LINE,
        background=rx.cond(is_open, rx.color("accent", 3), "transparent"),
        _hover={"background": rx.color("accent", 2)},
        class_name="thread-row",
        data_unread=row.unread,
    )


def _hit_link(hit: SearchHit) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.hstack(
                rx.text(hit.party, weight="medium", size="2"),
                rx.spacer(),
                rx.text(when(hit.at, format=SHORT), size="1", color=MUTED),
                width="100%",
            ),
            rx.text(rx.cond(hit.outbound, "You: ", ""), hit.body, size="2", color=MUTED),
            spacing="1",
            width="100%",
        ),
        href=hit.href,
        underline="none",
        color=rx.color("gray", 12),
        display="block",
        padding="0.6rem 0.75rem",
        border_bottom=LINE,
        class_name="search-hit",
    )


def _empty_inbox() -> rx.Component:
    return rx.vstack(
        rx.icon("message-square", size=32, color=rx.color("gray", 9)),
        rx.cond(
            S.has_numbers,
            rx.text("No messages yet. Press New message to text someone.", align="center"),
            rx.text("No messages yet. Buy a number on Numbers, then text someone.", align="center"),
        ),
        rx.cond(
            ~S.has_numbers,
            rx.link(rx.button("Go to Numbers", variant="soft", size="2"), href=routes.NUMBERS),
        ),
        align="center",
        spacing="3",
        padding="2rem 1rem",
        color=MUTED,
        id="empty-inbox",
    )


def _list() -> rx.Component:
    return rx.cond(
        S.searching,
        rx.cond(
            S.hits.length() > 0,
            rx.box(rx.foreach(S.hits, _hit_link), id="search-hits"),
            rx.text("No messages match.", color=MUTED, padding="1rem", id="no-hits"),
        ),
        rx.cond(
            S.conversations.length() > 0,
            rx.box(rx.foreach(S.conversations, _thread_link), id="threads"),
            rx.cond(S.loaded, _empty_inbox()),
        ),
    )


def inbox() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=14)),
                placeholder="Search messages",
                aria_label="Search messages",
                id="message-search",
                value=S.search_text,
                on_change=lambda v: S.search(v).debounce(300),
                flex="1",
            ),
            rx.link(
                rx.button(rx.icon("square-pen", size=14), "New message", id="new-message"),
                href=routes.MESSAGE_NEW,
            ),
            width="100%",
            padding="0.75rem",
            border_bottom=LINE,
        ),
        rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", size="1", margin="0.5rem")),
        rx.box(_list(), overflow_y="auto", flex="1", width="100%", min_height="0"),
        spacing="0",
        height="100%",
        width="100%",
    )
