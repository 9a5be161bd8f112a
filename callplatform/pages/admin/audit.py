"""The audit log for admins: security events and admin actions, filterable by kind."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx

from callplatform.common import audit
from callplatform.components.when import when
from callplatform.db import in_read_session
from callplatform.models import Role
from callplatform.state.session import SessionState

KINDS = [["login", "Logins"], ["call", "Refused calls"], ["admin", "Admin actions"]]


@dataclass
class AuditRow:
    at: str = ""
    action: str = ""
    detail: str = ""
    client: str = ""


class AuditState(SessionState):
    kind: str = "all"
    rows: list[AuditRow] = []

    @rx.event
    async def load(self):
        user = await self._current_user()
        if user is None or user.role != Role.ADMIN:
            return self._bounce()
        action = "" if self.kind == "all" else self.kind
        events = await asyncio.to_thread(
            in_read_session, audit.list_events, actor=user, action=action, limit=100
        )
        self.rows = [
            AuditRow(
                at=e.at.isoformat(),
                action=e.action,
                client=e.client,
                detail=", ".join(f"{k}={v}" for k, v in sorted(e.detail.items())),
            )
            for e in events
        ]

    @rx.event
    def set_kind(self, value: str):
        self.kind = value if value in {k for k, _ in KINDS} else "all"
        return AuditState.load


def audit_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Audit log", size="4"),
                rx.spacer(),
                rx.select.root(
                    rx.select.trigger(aria_label="Kind"),
                    rx.select.content(
                        rx.select.item("Everything", value="all"),
                        *[rx.select.item(label, value=k) for k, label in KINDS],
                    ),
                    value=AuditState.kind,
                    on_change=AuditState.set_kind,
                ),
                width="100%",
            ),
            rx.table.root(
                rx.table.body(
                    rx.foreach(
                        AuditState.rows,
                        lambda r: rx.table.row(
                            rx.table.cell(when(r.at, format="MMM D, HH:mm:ss")),
                            rx.table.cell(rx.badge(r.action)),
                            rx.table.cell(r.detail),
                            rx.table.cell(r.client),
                        ),
                    )
                ),
                width="100%",
                id="audit-log",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
