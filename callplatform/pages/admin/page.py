"""Admin page: users (search, promote, suspend, reactivate). Every handler re-checks
that the caller is an admin on the server; the services check it again. Their database
and Twilio work runs in a worker thread: suspending waits on Twilio, and the event loop
must keep serving everyone else meanwhile."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx

from callplatform.admin import users
from callplatform.common.errors import ServiceError
from callplatform.components.layout import page_shell
from callplatform.components.tables import cell, stacked_table
from callplatform.components.when import when
from callplatform.db import read_scope, session_scope
from callplatform.models import Role, User
from callplatform.pages.admin.analytics import analytics_section
from callplatform.pages.admin.audit import audit_section
from callplatform.pages.admin.spend_settings import spend_settings_section
from callplatform.pages.admin.user_cap import UserCapState, user_cap_dialog
from callplatform.state.session import SessionState


@dataclass
class UserRow:
    id: int = 0
    email: str = ""
    role: str = ""
    suspended: bool = False
    cap: str = ""  # "" on the platform default
    created_at: str = ""


def _user_rows(admin: User, search: str) -> list[UserRow]:
    with read_scope() as session:
        found = users.list_users(session=session, actor=admin, search=search)
        caps = users.personal_caps(session=session, user_ids=[u.id for u in found])
    return [
        UserRow(
            id=u.id,
            email=u.email,
            role=str(u.role),
            suspended=u.is_suspended,
            cap=f"${caps[u.id]:,.2f}" if u.id in caps else "",
            created_at=u.created_at.isoformat(),
        )
        for u in found
    ]


def _apply(action, admin: User, user_id: int, **kwargs) -> None:
    with session_scope() as session:
        action(session=session, actor=session.merge(admin), user_id=user_id, **kwargs)


class AdminState(SessionState):
    search: str = ""
    rows: list[UserRow] = []

    async def _admin(self):
        user = await self._current_user()
        return user if user is not None and user.role == Role.ADMIN else None

    @rx.event
    async def load(self):
        admin = await self._admin()
        if admin is None:
            return self._bounce()
        self.rows = await asyncio.to_thread(_user_rows, admin, self.search)

    @rx.event
    def set_search(self, value: str):
        self.search = str(value)[:100]
        return AdminState.load

    async def _act(self, action, user_id, message: str, **kwargs):
        admin = await self._admin()
        if admin is None:
            return self._bounce()
        try:
            await asyncio.to_thread(_apply, action, admin, int(user_id), **kwargs)
        except (ServiceError, TypeError, ValueError) as exc:
            return rx.toast.error(getattr(exc, "message", "That can't be done."))
        self.rows = await asyncio.to_thread(_user_rows, admin, self.search)
        return rx.toast.success(message)

    @rx.event
    async def promote(self, user_id: int):
        return await self._act(users.promote_to_admin, user_id, "Promoted to admin.")

    @rx.event
    async def suspend(self, user_id: int):
        return await self._act(users.set_suspended, user_id, "User suspended.", suspended=True)

    @rx.event
    async def reactivate(self, user_id: int):
        return await self._act(users.set_suspended, user_id, "User reactivated.", suspended=False)


def _row(row: UserRow) -> rx.Component:
    return rx.table.row(
        cell("", rx.text(row.email, weight="medium")),
        cell(
            "Role",
            rx.badge(row.role, color_scheme=rx.cond(row.role == "admin", "purple", "gray")),
        ),
        cell(
            "Status",
            rx.cond(
                row.suspended,
                rx.badge("suspended", color_scheme="red"),
                rx.badge("active", color_scheme="green"),
            ),
        ),
        cell(
            "Monthly cap", rx.cond(row.cap == "", rx.text("Default", color_scheme="gray"), row.cap)
        ),
        cell("Joined", when(row.created_at, format="MMM D, YYYY")),
        cell(
            "",
            rx.flex(
                rx.link(
                    rx.button("Usage", size="1", variant="soft"),
                    href="/usage?user=" + row.id.to_string(),
                ),
                rx.button(
                    "Set cap", size="1", variant="soft", on_click=UserCapState.open_for(row.id)
                ),
                rx.cond(
                    row.role != "admin",
                    rx.button(
                        "Make admin", size="1", variant="soft", on_click=AdminState.promote(row.id)
                    ),
                ),
                rx.cond(
                    row.suspended,
                    rx.button(
                        "Reactivate",
                        size="1",
                        variant="soft",
                        on_click=AdminState.reactivate(row.id),
                    ),
                    rx.button(
                        "Suspend",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=AdminState.suspend(row.id),
                    ),
                ),
                spacing="2",
                wrap="wrap",
            ),
        ),
        data_email=row.email,
    )


def admin_page() -> rx.Component:
    cols = ("Email", "Role", "Status", "Monthly cap", "Joined", "")
    return page_shell(
        analytics_section(),
        rx.card(
            rx.vstack(
                rx.flex(
                    rx.heading("Users", size="4"),
                    rx.spacer(),
                    rx.input(
                        placeholder="Search by email",
                        value=AdminState.search,
                        on_change=AdminState.set_search,
                        id="user-search",
                    ),
                    spacing="2",
                    wrap="wrap",
                    width="100%",
                ),
                stacked_table(cols, rx.foreach(AdminState.rows, _row), id="admin-users"),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        spend_settings_section(),
        audit_section(),
        user_cap_dialog(on_saved=AdminState.load),
        active="Admin",
        title="Admin",
    )
