"""Admin controls for spending: the platform default cap and the call-rate limit (one
user's cap is set from their row in the users list: `user_cap`). Admin-only in the
handler and again in the service; the database work runs in a worker thread."""

from __future__ import annotations

import asyncio
from decimal import Decimal, InvalidOperation

import reflex as rx

from callplatform.billing import spend
from callplatform.common.errors import ServiceError
from callplatform.db import in_read_session, session_scope
from callplatform.models import Role, User
from callplatform.state.session import SessionState


def _money(text) -> Decimal | None:
    raw = str(text or "").strip().lstrip("$")
    return Decimal(raw) if raw else None


def _save(admin: User, form: dict) -> None:
    with session_scope() as session:
        spend.update_platform_settings(
            session=session,
            actor=session.merge(admin),
            default_cap=_money(form.get("default_cap")) or Decimal(0),
            calls_per_minute=int(form.get("calls_per_minute", 0)),
        )


class SpendSettingsState(SessionState):
    default_cap: str = ""
    calls_per_minute: str = ""

    async def _admin(self):
        user = await self._current_user()
        return user if user is not None and user.role == Role.ADMIN else None

    @rx.event
    async def load(self):
        if await self._admin() is None:
            return self._bounce()
        row = await asyncio.to_thread(in_read_session, spend.platform_settings)
        self.default_cap = f"{row.default_monthly_cap:.2f}"
        self.calls_per_minute = str(row.calls_per_minute)

    @rx.event
    async def save(self, form: dict):
        admin = await self._admin()
        if admin is None:
            return self._bounce()
        try:
            await asyncio.to_thread(_save, admin, form)
        except (ServiceError, InvalidOperation, ValueError) as exc:
            return rx.toast.error(getattr(exc, "message", "Check the numbers and try again."))
        return [SpendSettingsState.load, rx.toast.success("Spend controls saved.")]


def _labelled(label: str, name: str, value) -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", html_for=name, size="2", weight="medium"),
        rx.input(name=name, id=name, default_value=value, width="100%"),
        spacing="1",
        min_width="12rem",
    )


def spend_settings_section() -> rx.Component:
    s = SpendSettingsState
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Spend controls", size="4"),
                rx.flex(
                    _labelled("Default monthly cap ($)", "default_cap", s.default_cap),
                    _labelled("Calls per minute, per user", "calls_per_minute", s.calls_per_minute),
                    wrap="wrap",
                    style={"gap": "1rem 2rem"},
                ),
                rx.text(
                    "To give one user a cap of their own, use Set cap in their row above.",
                    size="2",
                    color=rx.color("gray", 11),
                ),
                rx.button("Save", type="submit"),
                spacing="3",
            ),
            on_submit=s.save,
        ),
        width="100%",
    )
