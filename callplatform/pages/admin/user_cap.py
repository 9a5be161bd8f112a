"""One user's monthly cap, set from that user's row in the admin users list: a dialog
named after the user (no ids to type). Admin-only on the server; the service checks again."""

from __future__ import annotations

import asyncio
from decimal import Decimal, InvalidOperation

import reflex as rx

from callplatform.admin import users
from callplatform.billing import spend
from callplatform.common.errors import ServiceError
from callplatform.common.permissions import require_admin
from callplatform.db import read_scope, session_scope
from callplatform.models import Role, User, Workspace
from callplatform.state.session import SessionState
from callplatform.workspaces import membership


def _current(admin: User, user_id: int) -> tuple[str, str]:
    """The user's email and their personal workspace's cap ("" when on the platform
    default): where `spend.set_user_cap` keeps it."""
    with read_scope() as session:
        require_admin(admin)
        user = users.get_user(session=session, user_id=user_id)
        workspace = session.get(
            Workspace, membership.personal_workspace_id(session=session, user_id=user.id)
        )
        cap = workspace.monthly_cap if workspace is not None else None
        return user.email, "" if cap is None else f"{cap:.2f}"


def _save(admin: User, user_id: int, cap: Decimal | None) -> None:
    with session_scope() as session:
        spend.set_user_cap(session=session, actor=session.merge(admin), user_id=user_id, cap=cap)


def parse_cap(text) -> Decimal | None:
    """'' (the platform default), '25', '$25.50'; anything else raises ValueError."""
    raw = str(text or "").strip().lstrip("$").replace(",", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError from exc
    if not value.is_finite():
        raise ValueError
    return value


class UserCapState(SessionState):
    user_id: int = 0
    email: str = ""
    cap: str = ""
    error: str = ""

    async def _admin(self):
        user = await self._current_user()
        return user if user is not None and user.role == Role.ADMIN else None

    @rx.event
    async def open_for(self, user_id: int):
        admin = await self._admin()
        if admin is None:
            return self._bounce()
        try:
            self.email, self.cap = await asyncio.to_thread(_current, admin, int(user_id))
        except (ServiceError, TypeError, ValueError):
            return rx.toast.error("No such user.")
        self.user_id, self.error = int(user_id), ""

    @rx.event
    def close(self):
        self.user_id, self.email, self.cap, self.error = 0, "", "", ""

    @rx.event
    def set_cap(self, value: str):
        self.cap = str(value)[:20]

    @rx.event
    async def save(self, _form: dict | None = None):
        admin = await self._admin()
        if admin is None:
            return self._bounce()
        try:
            cap = parse_cap(self.cap)
            await asyncio.to_thread(_save, admin, int(self.user_id), cap)
        except ValueError:
            self.error = "Enter an amount in dollars, like 25 or 25.50, or leave it empty."
            return
        except ServiceError as exc:
            self.error = exc.message
            return
        email = self.email
        self.close()
        return rx.toast.success(f"Monthly cap saved for {email}.")


def user_cap_dialog(*, on_saved) -> rx.Component:
    """The dialog; `on_saved` (the users list's reload) runs after each save."""
    s = UserCapState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Monthly spending cap"),
            rx.dialog.description(
                "For ",
                rx.text.strong(s.email, id="user-cap-email"),
                ". Leave it empty to use the platform default.",
                size="2",
            ),
            rx.form(
                rx.vstack(
                    rx.text("Cap in dollars", as_="label", html_for="user-cap", size="2"),
                    rx.input(
                        value=s.cap,
                        on_change=s.set_cap,
                        id="user-cap",
                        placeholder="Platform default",
                        input_mode="decimal",
                        auto_focus=True,
                        width="100%",
                    ),
                    rx.cond(
                        s.error != "",
                        rx.text(s.error, color=rx.color("red", 11), size="2", id="user-cap-error"),
                    ),
                    rx.hstack(
                        rx.button("Cancel", variant="soft", type="button", on_click=s.close),
                        rx.button("Save cap", type="submit", id="save-user-cap"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    margin_top="0.75rem",
                ),
                on_submit=lambda form: [s.save(form), on_saved()],
            ),
            max_width="26rem",
        ),
        open=s.user_id != 0,
        on_open_change=lambda _open: s.close(),
    )
