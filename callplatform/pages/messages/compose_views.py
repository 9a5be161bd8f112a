"""The composer under a thread, and the "New message" pane (from, to, then the same
composer). Enter sends, Shift+Enter starts a new line."""

from __future__ import annotations

import reflex as rx

from callplatform import routes
from callplatform.pages.messages import draft_count
from callplatform.pages.messages.compose_state import BODY_ID, PICTURES_ID
from callplatform.pages.messages.compose_state import ComposerState as C
from callplatform.pages.messages.views import LINE, MUTED

# Enter submits the form (unless Shift is held, an input method is composing a character,
# or a send is still under way: its button is disabled); Reflex's own key event carries no
# way to stop the newline, so a plain handler on the element does it in the browser.
ENTER_SENDS = rx.Var(
    "(e) => { if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing) return; "
    "e.preventDefault(); const form = e.currentTarget.form; "
    "if (form && !form.querySelector('[type=submit]')?.disabled) form.requestSubmit(); }"
)


def _field_error(text, error_id: str) -> rx.Component:
    return rx.cond(
        text != "", rx.text(text, size="1", color=rx.color("red", 11), id=error_id, role="alert")
    )


def composer(placeholder: str = "Write a message") -> rx.Component:
    return rx.vstack(
        _field_error(C.error, "send-error"),
        rx.hstack(
            rx.text_area(
                name="body",
                id=BODY_ID,
                placeholder=placeholder,
                aria_label="Message",
                rows="2",
                resize="vertical",
                max_length=1600,
                custom_attrs={"onKeyDown": ENTER_SENDS, "onInput": rx.Var(draft_count.ON_INPUT)},
                flex="1",
            ),
            _attach_button(),
            rx.button(
                rx.cond(C.sending, rx.spinner(size="2"), rx.icon("send", size=16)),
                rx.cond(C.sending, "Sending…", "Send"),
                type="submit",
                disabled=C.sending,
                id="send-message",
            ),
            align="end",
            width="100%",
        ),
        _field_error(C.body_error, "body-error"),
        rx.cond(
            C.attached.length() > 0,
            rx.hstack(
                rx.icon("image", size=14),
                rx.text(C.attached.join(", "), size="1", id="attached-pictures"),
                rx.icon_button(
                    rx.icon("x", size=12),
                    size="1",
                    variant="ghost",
                    aria_label="Remove the pictures",
                    on_click=C.drop_pictures,
                    type="button",
                ),  # fmt: skip
                align="center",
                spacing="1",
                width="100%",
                flex_wrap="wrap",
            ),
        ),
        rx.text(
            draft_count.EMPTY,  # then the browser's count as the user types
            size="1",
            color=MUTED,
            id=draft_count.COUNTER_ID,
            title="Enter sends · Shift+Enter for a new line",
        ),
        spacing="1",
        width="100%",
        padding="0.75rem",
        border_top=LINE,
    )


def _attach_button() -> rx.Component:
    """Pictures go with the next text (an MMS): picked files are uploaded and checked at
    once; the server keeps them until the text is sent."""
    return rx.upload.root(
        rx.icon_button(
            rx.icon("image-plus", size=16),
            variant="soft",
            type="button",
            aria_label="Attach a picture",
        ),  # fmt: skip
        id=PICTURES_ID,
        accept={"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/gif": [".gif"]},
        multiple=True,
        max_files=10,
        no_drag=True,
        on_drop=C.attach(rx.upload_files(upload_id=PICTURES_ID)),
        border="none",
        padding="0",
    )


def thread_form(*children: rx.Component, **props) -> rx.Component:
    return rx.form(
        *children,
        on_submit=C.send,
        reset_on_submit=False,
        width="100%",
        id="composer",
        **props,
    )


def new_message_pane() -> rx.Component:
    return thread_form(
        rx.vstack(
            rx.hstack(
                rx.link(
                    rx.icon_button(rx.icon("arrow-left"), variant="ghost", aria_label="Back"),
                    href=routes.MESSAGES,
                    display=["block", "block", "block", "none"],
                ),
                rx.heading("New message", size="4"),
                align="center",
                padding="0.75rem",
                border_bottom=LINE,
                width="100%",
            ),
            rx.vstack(
                rx.text("From", size="2", weight="medium", as_="label"),
                rx.cond(
                    C.senders.length() > 0,
                    rx.select.root(
                        rx.select.trigger(aria_label="From number", id="new-from", width="100%"),
                        rx.select.content(
                            rx.foreach(C.senders, lambda n: rx.select.item(n[1], value=n[0]))
                        ),
                        value=C.from_number,
                        on_change=C.pick_number,
                    ),
                    rx.text(
                        "You have no number to text from. ",
                        rx.link("Buy one on Numbers", href=routes.NUMBERS),
                        ".",
                        size="2",
                        color=MUTED,
                    ),
                ),
                _field_error(C.from_error, "from-error"),
                rx.text("To", size="2", weight="medium", as_="label", html_for="new-to"),
                rx.input(
                    name="to",
                    id="new-to",
                    placeholder="(415) 555-0100",
                    type="tel",
                    auto_complete="off",
                    on_change=lambda v: C.edit_to(v).debounce(300),
                    width="100%",
                ),
                _field_error(C.to_error, "to-error"),
                spacing="2",
                padding="0.75rem",
                width="100%",
                max_width="28rem",
            ),
            rx.spacer(),
            composer(),
            spacing="0",
            height="100%",
            width="100%",
        ),
        height="100%",
    )
