"""The open thread: its header (the party, our number, a call button) and its texts as
bubbles, ours on the right with their delivery state, theirs on the left."""

from __future__ import annotations

import reflex as rx

from callplatform import routes
from callplatform.components.when import when
from callplatform.pages.messages.rows import MessageRow
from callplatform.pages.messages.state import MessagesState as S
from callplatform.pages.messages.views import LINE, MUTED, SHORT
from callplatform.state.softphone import SoftphoneState


def _entry(text: MessageRow) -> rx.Component:
    """A text, or a call with the same person in its place in the thread."""
    return rx.cond(
        text.call != "",
        rx.hstack(
            rx.icon("phone", size=14),
            rx.text(text.call, " · ", when(text.at, format=SHORT), size="1"),
            color=MUTED,
            justify="center",
            width="100%",
            class_name="thread-call",
        ),
        _bubble(text),
    )


def _bubble(text: MessageRow) -> rx.Component:
    mine = text.outbound
    return rx.vstack(
        rx.box(
            rx.foreach(
                text.pictures,
                lambda url: rx.link(
                    rx.image(
                        src=url,
                        alt="Picture",
                        max_width="14rem",
                        max_height="14rem",
                        border_radius="0.5rem",
                        class_name="text-picture",
                    ),
                    href=url,
                    is_external=True,
                ),
            ),
            rx.text(text.body, size="2", white_space="pre-wrap", word_break="break-word"),
            background=rx.cond(mine, rx.color("accent", 9), rx.color("gray", 4)),
            color=rx.cond(mine, "white", rx.color("gray", 12)),
            padding="0.5rem 0.75rem",
            border_radius="1rem",
            max_width="min(28rem, 85%)",
            class_name=rx.cond(mine, "bubble bubble-out", "bubble bubble-in"),
        ),
        rx.text(
            when(text.at, format=SHORT),
            rx.cond(mine, " · ", ""),
            rx.text.span(text.status, color=rx.color(text.status_color, 11), class_name="state"),
            size="1",
            color=MUTED,
        ),
        rx.cond(
            text.problem != "",
            rx.text(text.problem, size="1", color=rx.color("red", 11), max_width="28rem"),
        ),
        align=rx.cond(mine, "end", "start"),
        spacing="1",
        width="100%",
        class_name="text-message",
        data_status=text.status,
    )


def thread_header() -> rx.Component:
    return rx.hstack(
        rx.link(
            rx.icon_button(rx.icon("arrow-left"), variant="ghost", aria_label="Back to inbox"),
            href=routes.MESSAGES,
            display=["block", "block", "block", "none"],
        ),
        rx.vstack(
            rx.heading(S.thread.party, size="4", id="thread-party"),
            rx.text("via ", S.thread.number, size="1", color=MUTED),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.cond(
            S.thread.add_contact_href != "",
            rx.link(
                rx.icon_button(
                    rx.icon("user-plus", size=16), variant="soft", aria_label="Add to contacts"
                ),  # fmt: skip
                href=S.thread.add_contact_href,
                id="add-to-contacts",
            ),
        ),
        rx.icon_button(
            rx.icon("phone", size=16),
            variant="soft",
            aria_label="Call",
            on_click=SoftphoneState.dial(S.thread.party_e164),
        ),
        align="center",
        width="100%",
        padding="0.75rem",
        border_bottom=LINE,
    )


def thread_texts() -> rx.Component:
    """Newest at the bottom, scrolled there from the start (column-reverse keeps the
    scroll pinned to the end as texts arrive)."""
    return rx.box(
        rx.vstack(rx.foreach(S.texts, _entry), spacing="3", padding="1rem", width="100%"),
        display="flex",
        flex_direction="column-reverse",
        overflow_y="auto",
        flex="1",
        min_height="0",
        width="100%",
        id="thread-texts",
    )
