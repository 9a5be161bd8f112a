"""A member's own monthly cap, set on the Team page by the workspace's admins and owners
(`billing.spend.set_member_cap`): calls and texts the member makes stop once their share
of the month reaches it, within the workspace's cap. The handlers resolve the acting
member on the server; the service checks the role and that the person is a member."""

from __future__ import annotations

import asyncio
from decimal import Decimal, InvalidOperation

import reflex as rx

from callplatform.billing import spend
from callplatform.common import ids
from callplatform.common.errors import NotFound, ServiceError
from callplatform.db import read_scope, session_scope
from callplatform.models import WorkspaceMember
from callplatform.pages.team.activity import ActivityState
from callplatform.pages.team.state import TeamState
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member
from callplatform.workspaces import access, team
from callplatform.workspaces.access import Member

AMOUNT = "Enter an amount like 25.00, or leave it empty for no cap of their own."


def parse_cap(raw) -> Decimal | None:
    """What was typed as an amount of dollars ("" : no cap); ValueError in words."""
    text = str(raw if raw is not None else "").strip().removeprefix("$").replace(",", "")
    if not text:
        return None
    if len(text) > 16:
        raise ValueError(AMOUNT)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(AMOUNT) from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise ValueError("Enter dollars and cents, like 25.00.")
    return value


def _current(member: Member, user_id: int) -> tuple[str, str]:
    """(the member's name, their cap as typed: "" for none); admins and owners only."""
    with read_scope() as session:
        access.require_manager(member)
        row = session.get(WorkspaceMember, (member.workspace_id, user_id))
        person = next(
            (p for p in team.list_members(session=session, member=member) if p.user_id == user_id),
            None,
        )
        if row is None or person is None:
            raise NotFound("That person isn't in this workspace.")
        cap = "" if row.monthly_cap is None else f"{row.monthly_cap:.2f}"
        return person.name or person.email, cap


def _save(member: Member, user_id: int, cap: Decimal | None) -> None:
    with session_scope() as session:
        spend.set_member_cap(session=session, member=member, user_id=user_id, cap=cap)


class CapState(SessionState):
    cap_user_id: int = 0
    cap_name: str = ""
    cap_value: str = ""
    cap_error: str = ""
    cap_saving: bool = False

    @rx.event
    async def open_cap(self, user_id: int):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        target = ids.as_id(user_id)
        if target is None:
            return rx.toast.error("That person isn't in this workspace.")
        try:
            name, cap = await asyncio.to_thread(_current, member, target)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.cap_user_id, self.cap_name, self.cap_value, self.cap_error = target, name, cap, ""
        return None

    @rx.event
    def set_cap_value(self, value: str):
        self.cap_value = str(value)[:20]

    @rx.event
    def close_cap(self):
        self.cap_user_id, self.cap_value, self.cap_error, self.cap_saving = 0, "", "", False

    @rx.event
    async def save_cap(self, _form: dict | None = None):
        member = await acting_member(self)
        if member is None:
            yield self._bounce()
            return
        if not self.cap_user_id or self.cap_saving:
            return
        try:
            cap = parse_cap(self.cap_value)
        except ValueError as exc:
            self.cap_error = str(exc)
            return
        self.cap_saving, self.cap_error = True, ""
        yield
        try:
            await asyncio.to_thread(_save, member, self.cap_user_id, cap)
        except ServiceError as exc:
            self.cap_error = exc.message
            return
        finally:
            self.cap_saving = False
        name = self.cap_name
        self.close_cap()
        note = (
            f"{name} has no monthly cap of their own now."
            if cap is None
            else f"{name} can spend up to ${cap:,.2f} a month."
        )
        yield [rx.toast.success(note), TeamState.refresh, ActivityState.load]


S = CapState


def cap_cell(row) -> rx.Component:
    """The cap and its edit button, in a member's row (admins and owners only)."""
    return rx.hstack(
        rx.text(
            rx.cond(row.cap != "", row.cap + " / month", "No cap"),
            size="2",
            color=rx.cond(row.cap != "", rx.color("gray", 12), rx.color("gray", 10)),
            class_name="member-cap",
        ),
        rx.icon_button(
            rx.icon("pencil", size=12),
            size="1",
            variant="soft",
            on_click=S.open_cap(row.user_id),
            aria_label="Set monthly cap",
            class_name="member-cap-edit",
        ),
        spacing="2",
        align="center",
    )


def cap_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Monthly cap for ", S.cap_name),
            rx.dialog.description(
                "Their calls and texts stop for the rest of the month once what they "
                "spent reaches it. Leave it empty for no cap of their own: the "
                "workspace's cap still applies.",
                size="2",
                margin_bottom="0.75rem",
            ),
            rx.form(
                rx.vstack(
                    rx.input(
                        rx.input.slot("$"),
                        value=S.cap_value,
                        on_change=S.set_cap_value,
                        placeholder="No cap",
                        input_mode="decimal",
                        id="member-cap-input",
                        max_length=20,
                        auto_focus=True,
                        width="100%",
                    ),
                    rx.cond(
                        S.cap_error != "",
                        rx.text(S.cap_error, color=rx.color("red", 11), size="2", id="cap-error"),
                    ),
                    rx.hstack(
                        rx.button("Cancel", variant="soft", type="button", on_click=S.close_cap),
                        rx.button("Save cap", type="submit", loading=S.cap_saving, id="save-cap"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.save_cap,
            ),
            max_width="26rem",
        ),
        open=S.cap_user_id != 0,
        on_open_change=lambda _open: S.close_cap(),
    )
