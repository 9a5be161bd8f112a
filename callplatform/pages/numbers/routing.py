"""The number's routing on the Numbers page: its summary in plain words, and the route
document to edit as JSON (admins and owners save it; members who may use the number read
it). Every handler resolves the acting member on the server; the services check the
rest, so a number that isn't the member's is not revealed to exist."""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from callplatform.common.errors import ServiceError
from callplatform.db import read_scope, session_scope
from callplatform.routing import service
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member
from callplatform.workspaces.access import Member

MAX_TEXT = 64 * 1024


def _starter(member: Member) -> dict:
    """What a number without a routing is shown as: today's default, written out."""
    return {"route": [{"type": "ring", "user_ids": [member.user_id], "seconds": 20},
                      {"type": "voicemail"}]}  # fmt: skip


def _read(member: Member, number_id) -> tuple[str, str]:
    with read_scope() as session:
        document = service.get_routing(session=session, member=member, number_id=number_id)
        words = service.describe_routing(session=session, member=member, number_id=number_id)
    raw = document.model_dump(mode="json") if document else _starter(member)
    return json.dumps(raw, indent=2), words


def _save(member: Member, number_id, raw) -> None:
    with session_scope() as session:
        service.save_routing(session=session, member=member, number_id=number_id, document=raw)


def _clear(member: Member, number_id) -> None:
    with session_scope() as session:
        service.clear_routing(session=session, member=member, number_id=number_id)


class RoutingState(SessionState):
    routing_number_id: int = 0
    routing_text: str = ""
    routing_summary: str = ""
    routing_error: str = ""
    routing_may_edit: bool = False

    async def _show(self, member: Member, number_id: int) -> None:
        try:
            text, words = await asyncio.to_thread(_read, member, number_id)
        except ServiceError as exc:
            self.routing_number_id, self.routing_error = 0, exc.message
            return
        self.routing_number_id, self.routing_text, self.routing_summary = number_id, text, words
        self.routing_may_edit, self.routing_error = member.manages, ""

    @rx.event
    async def open_routing(self, number_id: int):
        member = await acting_member(self)
        if member is not None and isinstance(number_id, int):
            await self._show(member, number_id)

    @rx.event
    def set_routing_text(self, value: str):
        self.routing_text = str(value)[:MAX_TEXT]

    @rx.event
    def close_routing(self):
        self.routing_number_id, self.routing_text, self.routing_summary = 0, "", ""
        self.routing_error = ""

    @rx.event
    async def save_routing(self, _form: dict | None = None):
        member = await acting_member(self)
        if member is None or not self.routing_number_id:
            return
        try:
            raw = json.loads(self.routing_text)
        except ValueError as exc:
            self.routing_error = f"That isn't valid JSON: {exc}"
            return
        try:
            await asyncio.to_thread(_save, member, self.routing_number_id, raw)
        except ServiceError as exc:
            self.routing_error = exc.message
            return
        await self._show(member, self.routing_number_id)

    @rx.event
    async def clear_routing(self):
        member = await acting_member(self)
        if member is None or not self.routing_number_id:
            return
        try:
            await asyncio.to_thread(_clear, member, self.routing_number_id)
        except ServiceError as exc:
            self.routing_error = exc.message
            return
        await self._show(member, self.routing_number_id)


S = RoutingState


def routing_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Call routing"),
            rx.form(
                rx.vstack(
                    rx.callout(S.routing_summary, icon="git-fork", id="routing-summary"),
                    rx.text_area(
                        value=S.routing_text,
                        on_change=S.set_routing_text,
                        id="routing-document",
                        rows="16",
                        read_only=~S.routing_may_edit,
                        font_family="monospace",
                        width="100%",
                    ),
                    rx.cond(
                        S.routing_error != "",
                        rx.text(
                            S.routing_error, color=rx.color("red", 11), size="2", id="routing-error"
                        ),  # fmt: skip
                    ),
                    rx.hstack(
                        rx.button("Close", variant="soft", type="button", on_click=S.close_routing),
                        rx.cond(
                            S.routing_may_edit,
                            rx.hstack(
                                rx.button(
                                    "Use the default",
                                    variant="soft",
                                    color_scheme="gray",
                                    type="button",
                                    on_click=S.clear_routing,
                                ),  # fmt: skip
                                rx.button("Save routing", type="submit", id="save-routing"),
                            ),
                        ),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.save_routing,
            ),
            max_width="44rem",
        ),
        open=S.routing_number_id != 0,
        on_open_change=lambda _open: S.close_routing(),
    )


def routing_button(number_id) -> rx.Component:
    return rx.icon_button(
        rx.icon("git-fork", size=14),
        variant="soft",
        on_click=S.open_routing(number_id),
        aria_label="Call routing",
        class_name="number-routing",
    )
