"""The Team page's members: who they are, their roles (changed by admins and owners),
their own monthly caps (shown to and set by admins and owners), removing and leaving."""

from __future__ import annotations

import reflex as rx

from callplatform.components.forms import confirm_dialog
from callplatform.components.tables import cell, stacked_table
from callplatform.components.when import when
from callplatform.pages.team.caps import cap_cell, cap_dialog
from callplatform.pages.team.state import MemberRow, TeamState

S = TeamState


def _who(row: MemberRow) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(rx.cond(row.name != "", row.name, row.email), weight="medium"),
            rx.cond(row.is_me, rx.badge("you", variant="soft", color_scheme="gray")),
            spacing="2",
            align="center",
        ),
        rx.cond(row.name != "", rx.text(row.email, size="1", color=rx.color("gray", 11))),
        spacing="0",
        align_items="start",
    )


def _role(row: MemberRow) -> rx.Component:
    return rx.cond(
        row.editable,
        rx.select(
            S.role_choices,
            value=row.role,
            on_change=lambda role: S.set_role(row.user_id, role),
            size="1",
            aria_label="Role",
            class_name="member-role",
        ),
        rx.badge(
            row.role, variant="soft", color_scheme=rx.cond(row.role == "owner", "amber", "gray")
        ),
    )


def _member_row(row: MemberRow, with_cap: bool) -> rx.Component:
    return rx.table.row(
        cell("", _who(row)),
        cell("Role", _role(row)),
        *([cell("Monthly cap", cap_cell(row))] if with_cap else []),
        cell("Joined", when(row.joined_at, format="MMM D, YYYY")),
        cell(
            "",
            rx.cond(
                row.removable,
                rx.button(
                    rx.cond(row.is_me, "Leave", "Remove"),
                    size="1",
                    color_scheme="red",
                    variant="soft",
                    on_click=S.ask_remove(row.user_id),
                    class_name="member-remove",
                ),
            ),
        ),
        class_name="member-row",
    )


def members_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Members", size="4"),
            rx.cond(
                S.manages,  # admins and owners also see and set each member's own cap
                stacked_table(
                    ["Name", "Role", "Monthly cap", "Joined", ""],
                    rx.foreach(S.members, lambda row: _member_row(row, True)),
                ),
                stacked_table(
                    ["Name", "Role", "Joined", ""],
                    rx.foreach(S.members, lambda row: _member_row(row, False)),
                ),
            ),
            _remove_dialog(),
            cap_dialog(),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="team-members",
    )


def _remove_dialog() -> rx.Component:
    return confirm_dialog(
        title=["Remove ", S.remove_name, "?"],
        description=(
            "They lose access at once: this workspace's numbers, calls and API tokens. "
            "The calls they made stay in the history."
        ),
        confirm_label="Remove",
        confirm_id="confirm-remove-member",
        open=S.remove_id != 0,
        on_cancel=S.cancel_remove,
        on_confirm=S.confirm_remove,
        pending=S.removing,
    )
