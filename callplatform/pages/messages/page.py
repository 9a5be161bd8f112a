"""Messages: the inbox on the left, a thread (or a new message) on the right. On a phone
one of them fills the screen: /messages is the inbox, /messages/<id> a thread,
/messages/new a new message, so the back button goes from a thread to the inbox."""

from __future__ import annotations

from typing import Literal

import reflex as rx

from callplatform.components.layout import page_shell
from callplatform.pages.messages.compose_views import composer, new_message_pane, thread_form
from callplatform.pages.messages.state import MessagesState as S
from callplatform.pages.messages.thread_views import thread_header, thread_texts
from callplatform.pages.messages.views import LINE, MUTED, inbox

Pane = Literal["none", "thread", "new"]
# Both columns from `md` (1024 px) up; below it, the one the route names.
BOTH = "md"


def _shown(on_phone: bool) -> list[str]:
    """A responsive `display`: initial, xs, sm (phones and small tablets), then md up."""
    small = "flex" if on_phone else "none"
    return [small, small, small, "flex"]


def _placeholder() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("messages-square", size=40, color=rx.color("gray", 8)),
            rx.heading("Pick a conversation", size="4"),
            rx.text("Or press New message to text someone.", color=MUTED, size="2"),
            align="center",
            spacing="2",
        ),
        height="100%",
        width="100%",
        id="pick-a-conversation",
    )


def _thread() -> rx.Component:
    return rx.cond(
        S.thread_error != "",
        rx.center(rx.callout(S.thread_error, color_scheme="red", id="thread-error"), height="100%"),
        rx.cond(
            S.thread.id > 0,
            thread_form(
                rx.vstack(thread_header(), thread_texts(), composer(), spacing="0", height="100%"),
                height="100%",
            ),
            rx.center(rx.spinner(size="3"), height="100%"),
        ),
    )


def _right(pane: Pane) -> rx.Component:
    if pane == "thread":
        return _thread()
    if pane == "new":
        return new_message_pane()
    return _placeholder()


def _messages(pane: Pane) -> rx.Component:
    return rx.flex(
        rx.box(
            inbox(),
            display=_shown(pane == "none"),
            width=["100%", "100%", "100%", "22rem"],
            min_width=["0", "0", "0", "22rem"],
            border_right=["none", "none", "none", LINE],
            height="100%",
            id="inbox",
        ),
        rx.box(
            _right(pane),
            display=_shown(pane != "none"),
            flex="1",
            min_width="0",
            height="100%",
            id="thread",
        ),
        width="100%",
        # The page's height less the top bar, and room at the bottom for the phone button.
        height="calc(100dvh - 12rem)",
        min_height="24rem",
        border=LINE,
        border_radius="var(--radius-3)",
        overflow="hidden",
    )


def inbox_page() -> rx.Component:
    return page_shell(_messages("none"), active="Messages", title="Messages")


def thread_page() -> rx.Component:
    return page_shell(_messages("thread"), active="Messages", title="Messages")


def new_message_page() -> rx.Component:
    return page_shell(_messages("new"), active="Messages", title="Messages")
