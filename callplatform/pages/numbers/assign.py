"""Whom a number is assigned to, changed on the Numbers page by a team's admins and
owners: a checklist of the workspace's members, saved through
`workspaces.assignments.assign_number`. Every handler resolves the acting member on the
server and the services check role, number and members; the checklist shown only
decides what is offered."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx

from callplatform.common.errors import ServiceError
from callplatform.common.phone_format import display
from callplatform.db import read_scope, session_scope
from callplatform.pages.numbers.state import NumbersState
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member
from callplatform.workspaces import access, assignments, team
from callplatform.workspaces.access import Member


@dataclass
class Choice:
    user_id: int = 0
    name: str = ""
    detail: str = ""  # email (when a name is shown) and role


def _choices(member: Member, number_id: int) -> tuple[str, list[Choice], list[int]]:
    """(the number's name, the workspace's members, who has it now); managers only."""
    with read_scope() as session:
        access.require_manager(member)
        row = access.usable_number(session=session, member=member, number_id=number_id)
        people = team.list_members(session=session, member=member)
        held = assignments.assigned_members(session=session, member=member, number_id=row.id)
        label = row.friendly_name or display(row.phone_number)
    choices = [
        Choice(p.user_id, p.name or p.email, (f"{p.email} · " if p.name else "") + p.role.value)
        for p in people
    ]
    return label, choices, held


def _save(member: Member, number_id: int, user_ids: list[int]) -> list[int]:
    with session_scope() as session:
        return assignments.assign_number(
            session=session, member=member, number_id=number_id, user_ids=user_ids
        )


def _saved_note(label: str, names: list[str]) -> str:
    if not names:
        return f"{label} is now assigned to nobody: only admins and owners can use it."
    whom = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{label} is now assigned to {whom}."


class AssignState(SessionState):
    assign_number_id: int = 0
    assign_label: str = ""
    assign_choices: list[Choice] = []
    assign_chosen: list[int] = []
    assign_saving: bool = False
    assign_error: str = ""

    @rx.event
    async def open_assign(self, number_id: int):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        if not isinstance(number_id, int) or isinstance(number_id, bool):
            return rx.toast.error("That number isn't one of this workspace's.")
        try:
            label, choices, held = await asyncio.to_thread(_choices, member, number_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.assign_number_id, self.assign_label = number_id, label
        self.assign_choices, self.assign_chosen, self.assign_error = choices, held, ""
        return None

    @rx.event
    def toggle_assignee(self, user_id: int, on: bool):
        """Ticks or unticks one of the members offered (nobody else can be ticked)."""
        if not any(c.user_id == user_id for c in self.assign_choices):
            return
        rest = [u for u in self.assign_chosen if u != user_id]
        self.assign_chosen = sorted([*rest, user_id]) if on is True else rest

    @rx.event
    def close_assign(self):
        self.assign_number_id, self.assign_choices, self.assign_chosen = 0, [], []
        self.assign_error, self.assign_saving = "", False

    @rx.event
    async def save_assign(self, _form: dict | None = None):
        member = await acting_member(self)
        if member is None:
            yield self._bounce()
            return
        if not self.assign_number_id or self.assign_saving:
            return
        self.assign_saving, self.assign_error = True, ""
        yield
        try:
            saved = await asyncio.to_thread(
                _save, member, self.assign_number_id, list(self.assign_chosen)
            )
        except ServiceError as exc:
            self.assign_error = exc.message
            return
        finally:
            self.assign_saving = False
        names = [c.name for c in self.assign_choices if c.user_id in saved]
        note = _saved_note(self.assign_label, names)
        self.close_assign()
        yield [rx.toast.success(note), NumbersState.load]


S = AssignState


def _choice(choice: Choice) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.checkbox(
                checked=S.assign_chosen.contains(choice.user_id),
                on_change=lambda on: S.toggle_assignee(choice.user_id, on),
                data_member=choice.name,
            ),
            rx.vstack(
                rx.text(choice.name, weight="medium", size="2"),
                rx.text(choice.detail, size="1", color=rx.color("gray", 11)),
                spacing="0",
                min_width="0",
                overflow_wrap="anywhere",
            ),
            align="center",
            spacing="3",
        ),
        class_name="assign-choice",
        style={"cursor": "pointer", "display": "block", "padding": "0.35rem 0"},
    )


def assign_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Assign ", S.assign_label),
            rx.dialog.description(
                "The members you tick can call from this number, get its calls and see "
                "its history. Admins and owners always can.",
                size="2",
                margin_bottom="0.75rem",
            ),
            rx.form(
                rx.vstack(
                    rx.box(rx.foreach(S.assign_choices, _choice), width="100%", id="assign-list"),
                    rx.cond(
                        S.assign_error != "",
                        rx.text(
                            S.assign_error, color=rx.color("red", 11), size="2", id="assign-error"
                        ),
                    ),
                    rx.hstack(
                        rx.button("Cancel", variant="soft", type="button", on_click=S.close_assign),
                        rx.button("Save", type="submit", loading=S.assign_saving, id="save-assign"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.save_assign,
            ),
            max_width="28rem",
        ),
        open=S.assign_number_id != 0,
        on_open_change=lambda _open: S.close_assign(),
    )


def assign_button(number_id) -> rx.Component:
    return rx.icon_button(
        rx.icon("users", size=14),
        variant="soft",
        on_click=S.open_assign(number_id),
        aria_label="Assign to members",
        class_name="assign-number",
    )
