"""The audit log for admins: security events and admin actions, filterable by kind."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx

from callplatform.common import audit_words
from callplatform.components.when import when
from callplatform.db import in_read_session
from callplatform.models import Role
from callplatform.state.session import SessionState

KINDS = [
    ["login", "Logins"],
    ["call", "Refused calls"],
    ["admin", "Admin actions"],
    ["number", "Numbers bought and released"],
    ["token", "API tokens"],
]


@dataclass
class AuditRow:
    at: str = ""
    action: str = ""
    actor: str = ""
    target: str = ""
    sentence: str = ""
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
        entries = await asyncio.to_thread(
            in_read_session, audit_words.list_entries, actor=user, action=action, limit=100
        )
        self.rows = [
            AuditRow(
                at=e.at.isoformat(),
                action=e.action,
                actor=e.actor,
                target=e.target,
                sentence=e.sentence,
                client=e.client,
            )
            for e in entries
        ]

    @rx.event
    def set_kind(self, value: str):
        self.kind = value if value in {k for k, _ in KINDS} else "all"
        return AuditState.load


def _entry(r: AuditRow) -> rx.Component:
    """One event: the sentence first, then when, its kind and where from (stacks when narrow)."""
    return rx.box(
        rx.text(r.sentence, size="2", weight="medium", class_name="audit-sentence"),
        rx.flex(
            when(r.at, format="MMM D, HH:mm:ss"),
            rx.badge(r.action, variant="soft", color_scheme="gray"),
            rx.cond(r.client != "", rx.text("from " + r.client)),
            spacing="2",
            wrap="wrap",
            align="center",
            font_size="var(--font-size-1)",
            color=rx.color("gray", 11),
        ),
        padding_y="0.5rem",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        overflow_wrap="anywhere",
    )


def audit_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
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
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            rx.vstack(
                rx.foreach(AuditState.rows, _entry),
                rx.cond(
                    AuditState.rows.length() == 0, rx.text("Nothing yet.", color_scheme="gray")
                ),
                spacing="0",
                width="100%",
                id="audit-log",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
