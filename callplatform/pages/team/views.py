"""The Team page's invitation parts: the form with the link to copy, and the invitations
still waiting."""

from __future__ import annotations

import reflex as rx

from callplatform.components.tables import cell, stacked_table
from callplatform.components.when import when
from callplatform.pages.team.state import LINK_INPUT, InviteRow, TeamState

S = TeamState
COPY_SCRIPT = (
    f"navigator.clipboard.writeText(document.getElementById('{LINK_INPUT}').value)"
    ".catch(() => {})"
)
ROLE_HELP = {
    "owner": "Owners: billing, the workspace itself, and all an admin does.",
    "admin": "Admins: members, numbers, settings and all calls.",
    "member": "Members: calls from the numbers assigned to them, and their own calls.",
}


def _link_box() -> rx.Component:
    # Always in the page (hidden until there is a link) so rx.set_value can fill it.
    return rx.callout.root(
        rx.vstack(
            rx.cond(S.invite_note != "", rx.text(S.invite_note, id="invite-note")),
            rx.hstack(
                # A text area, not an input: on a phone the whole link wraps into view.
                rx.el.textarea(
                    id=LINK_INPUT,
                    read_only=True,
                    rows=2,
                    aria_label="Invitation link",
                    style={
                        "flex": "1 1 16rem",
                        "min_width": "0",
                        "font_family": "monospace",
                        "word_break": "break-all",
                        "resize": "none",
                        "background": "transparent",
                        "border": "none",
                    },
                ),
                rx.button(rx.icon("copy", size=14), "Copy", on_click=rx.call_script(COPY_SCRIPT)),
                rx.button("Done", variant="soft", on_click=S.hide_link),
                width="100%",
                wrap="wrap",
            ),
            width="100%",
        ),
        color_scheme=rx.cond(S.invite_failed, "amber", "green"),
        width="100%",
        display=rx.cond(S.link_shown, "flex", "none"),
        id="invite-link-box",
    )


def invite_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Invite people", size="4"),
            rx.text(
                "They get a link that works once, for 7 days. ",
                "They join with the role you choose.",
                color=rx.color("gray", 11),
            ),
            rx.form(
                rx.flex(
                    rx.input(
                        name="email",
                        id="invite-email",
                        type="email",
                        placeholder="name@example.com",
                        required=True,
                        flex="1",
                        min_width="12rem",
                    ),
                    rx.select(["member", "admin"], name="role", default_value="member"),
                    rx.button(
                        "Send invitation", type="submit", loading=S.inviting, id="invite-send"
                    ),
                    spacing="2",
                    wrap="wrap",
                    width="100%",
                ),
                on_submit=S.invite,
                reset_on_submit=True,
                width="100%",
            ),
            rx.cond(
                S.email_error != "",
                rx.text(S.email_error, color=rx.color("red", 11), size="2", id="invite-error"),
            ),
            _link_box(),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _invite_row(row: InviteRow) -> rx.Component:
    return rx.table.row(
        cell("", rx.text(row.email, weight="medium")),
        cell("Role", rx.badge(row.role, variant="soft", color_scheme="gray")),
        cell("Expires", when(row.expires_at, from_now=True)),
        cell(
            "",
            rx.hstack(
                rx.button("Copy link", size="1", variant="soft", on_click=S.show_link(row.id)),
                rx.button(
                    "Revoke",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=S.revoke(row.id),
                ),
                spacing="2",
            ),
        ),
        class_name="invite-row",
    )


def pending_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Waiting to join", size="4"),
            rx.cond(
                S.pending.length() > 0,
                stacked_table(["Email", "Role", "Expires", ""], rx.foreach(S.pending, _invite_row)),
                rx.text("No invitations waiting.", color=rx.color("gray", 10), id="no-invitations"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="team-invitations",
    )
