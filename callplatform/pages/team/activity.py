"""The Team page's Activity: the workspace's audit log for its admins and owners
(`workspaces.activity.workspace_activity`), newest first, each event in words and its
moment in the viewer's time zone. The handler resolves the acting member on the server;
the service refuses anyone else, and a member's page then holds nothing of it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

import reflex as rx

from callplatform import routes
from callplatform.common.errors import ServiceError
from callplatform.components.when import when
from callplatform.db import read_scope
from callplatform.state import live
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member
from callplatform.workspaces import activity
from callplatform.workspaces.access import Member

SHOWN = 50


# What each kind of event is shown with (its action's first word; caps apart).
ICONS = {"cap": "wallet", "number": "hash", "member": "user", "invitation": "mail",
         "workspace": "building-2"}  # fmt: skip


@dataclass
class ActivityRow:
    at: datetime | None = None
    sentence: str = ""
    kind: str = ""  # a key of ICONS ("" for any other event)


def _kind(action: str) -> str:
    if action.endswith("_cap"):
        return "cap"
    first = action.split(".")[0]
    return first if first in ICONS else ""


def _read(member: Member) -> list[ActivityRow]:
    with read_scope() as session:
        entries = activity.workspace_activity(session=session, member=member, limit=SHOWN)
    return [ActivityRow(e.at, e.sentence, _kind(e.action)) for e in entries]


class ActivityState(SessionState):
    activity: list[ActivityRow] = []
    shows_activity: bool = False  # an admin or owner: the workspace's log is theirs to read

    @rx.event
    async def load(self):
        member = await acting_member(self)
        self.activity, self.shows_activity = [], False
        if member is None or not member.manages:
            return
        try:
            rows = await asyncio.to_thread(_read, member)
        except ServiceError:  # the role changed meanwhile: the page re-checks and reloads
            return
        self.activity, self.shows_activity = rows, True


live.refresh_on(ActivityState, "load", live.WORKSPACE, live.NUMBERS, route=routes.TEAM)


def _icon(kind) -> rx.Component:
    return rx.match(
        kind,
        *[(key, rx.icon(name, size=14)) for key, name in ICONS.items()],
        rx.icon("activity", size=14),
    )


def _entry(row: ActivityRow) -> rx.Component:
    return rx.hstack(
        rx.box(_icon(row.kind), color=rx.color("gray", 10), padding_top="0.2rem"),
        rx.vstack(
            rx.text(row.sentence, size="2", overflow_wrap="anywhere"),
            rx.text(
                when(row.at, from_now=True),
                " · ",
                when(row.at),
                size="1",
                color=rx.color("gray", 10),
            ),
            spacing="0",
            min_width="0",
        ),
        spacing="3",
        align="start",
        width="100%",
        padding_y="0.5rem",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="activity-entry",
    )


def activity_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Activity", size="4"),
            rx.cond(
                ActivityState.activity.length() > 0,
                rx.box(rx.foreach(ActivityState.activity, _entry), width="100%"),
                rx.text(
                    "Nothing yet. Numbers assigned, people invited, joining or leaving, "
                    "roles and caps changed will be listed here, newest first.",
                    color=rx.color("gray", 10),
                    id="no-activity",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="team-activity",
    )
