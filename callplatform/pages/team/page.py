"""Team page: who is in the workspace and in which role (and, for its admins and owners,
each member's own cap), inviting people, the invitations waiting, the workspace's
activity (admins and owners), and making a new workspace. A solo user finds here how
to invite their team."""

from __future__ import annotations

import reflex as rx

from callplatform.components.forms import form_error
from callplatform.components.layout import page_shell
from callplatform.pages.team.activity import activity_card
from callplatform.pages.team.members import members_card
from callplatform.pages.team.state import TeamState
from callplatform.pages.team.views import invite_card, pending_card

S = TeamState


def _new_workspace_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("New workspace"),
            rx.dialog.description(
                "A workspace of its own: numbers, calls and a bill apart from this one. "
                "You will own it, and can invite people to it.",
                margin_bottom="1rem",
            ),
            rx.form(
                rx.vstack(
                    rx.input(
                        name="name",
                        id="workspace-name",
                        placeholder="e.g. Sales",
                        max_length=64,
                        required=True,
                        width="100%",
                    ),
                    form_error(S.create_error),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", type="button")),
                        rx.button("Create", type="submit", loading=S.creating, id="create-ws"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.create_workspace,
            ),
        ),
        open=S.creating_open,
        on_open_change=S.show_create,
    )


def _heading() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.heading(S.workspace, size="5", id="team-workspace"),
            rx.text(
                rx.cond(
                    S.alone,
                    "Just you so far.",
                    rx.cond(
                        S.members.length() == 1,
                        "1 member",
                        S.members.length().to_string() + " members",
                    ),
                ),
                color=rx.color("gray", 11),
            ),
            spacing="1",
        ),
        rx.spacer(),
        rx.button(
            rx.icon("plus", size=16),
            "New workspace",
            variant="soft",
            on_click=S.show_create(True),
            id="new-workspace",
        ),
        width="100%",
        align="center",
        wrap="wrap",
        gap="3",
    )


def _solo_intro() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("users")),
        rx.callout.text(
            "Invite the people you work with: they share this workspace's numbers and see "
            "the calls of the numbers you assign them. You stay the owner."
        ),
        width="100%",
        id="team-intro",
    )


def team_page() -> rx.Component:
    return page_shell(
        rx.cond(
            S.loaded,
            rx.fragment(
                _heading(),
                rx.cond(S.alone & S.manages, _solo_intro()),
                rx.cond(S.manages, invite_card()),
                members_card(),
                rx.cond(S.manages, pending_card()),
                rx.cond(S.manages & ~S.alone, activity_card()),
                rx.cond(
                    ~S.manages,
                    rx.text(
                        "Only the workspace's admins and owners can invite people.",
                        color=rx.color("gray", 10),
                    ),
                ),
            ),
            rx.center(rx.spinner(size="3"), width="100%", padding="3rem"),
        ),
        _new_workspace_dialog(),
        active="Team",
        title="Team",
    )
