"""Recordings page: every recording and voicemail, playable, downloadable, deletable."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform import routes
from callplatform.common.errors import ServiceError
from callplatform.common.phone_format import display
from callplatform.components.forms import confirm_dialog
from callplatform.components.layout import empty_state, page_shell
from callplatform.components.player import recording_player
from callplatform.components.when import when
from callplatform.db import read_scope, session_scope
from callplatform.history import recordings
from callplatform.state import live
from callplatform.state.call_views import RecordingRow
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member
from callplatform.workspaces.access import Member


def _delete(member: Member, recording_id: int) -> None:
    with session_scope() as session:
        recordings.delete_recording(session=session, member=member, recording_id=recording_id)


def _rows(member: Member) -> list[RecordingRow]:
    with read_scope() as session:
        found = recordings.list_recordings(session=session, member=member)
    return [RecordingRow.of(r, display(caller or "")) for r, caller in found]


class RecordingsState(SessionState):
    rows: list[RecordingRow] = []
    delete_id: int = 0

    @rx.event
    async def load(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        # In a worker thread: a query on the event loop would stall every user.
        self.rows = await asyncio.to_thread(_rows, member)

    @rx.event
    def ask_delete(self, recording_id: int):
        self.delete_id = recording_id if isinstance(recording_id, int) else 0

    @rx.event
    def cancel_delete(self):
        self.delete_id = 0

    @rx.event
    async def confirm_delete(self):
        member = await acting_member(self)
        if member is None:
            yield self._bounce()
            return
        try:
            await asyncio.to_thread(_delete, member, int(self.delete_id))
        except (ServiceError, ValueError) as exc:
            yield rx.toast.error(getattr(exc, "message", "That recording can't be deleted."))
        else:
            yield rx.toast.success("Recording deleted. The call stays in your history.")
        self.delete_id = 0
        self.rows = await asyncio.to_thread(_rows, member)


def _row(rec: RecordingRow) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(
                    rx.cond(rec.voicemail, "Voicemail from ", "Call with "),
                    rec.caller,
                    weight="medium",
                ),
                when(rec.created_at, format="MMM D, YYYY HH:mm"),
                spacing="0",
            ),
            recording_player(rec),
            rx.link("Call details", href=f"{routes.CALLS}/" + rec.call_id.to_string()),
            rx.icon_button(
                rx.icon("trash-2", size=14),
                variant="soft",
                color_scheme="red",
                on_click=RecordingsState.ask_delete(rec.id),
                aria_label="Delete recording",
            ),
            spacing="4",
            align="center",
            wrap="wrap",
            justify="between",
        ),
        width="100%",
    )


def _confirm() -> rx.Component:
    return confirm_dialog(
        title=["Delete this recording?"],
        description=(
            "It is deleted at Twilio too and can't be recovered. The call stays in your history."
        ),
        confirm_label="Delete",
        confirm_id="confirm-delete",
        open=RecordingsState.delete_id != 0,
        on_cancel=RecordingsState.cancel_delete,
        on_confirm=RecordingsState.confirm_delete,
    )


def recordings_page() -> rx.Component:
    return page_shell(
        rx.cond(
            RecordingsState.rows.length() > 0,
            rx.vstack(rx.foreach(RecordingsState.rows, _row), width="100%", spacing="3"),
            empty_state(
                "mic",
                "No recordings yet",
                "Turn on recording for a number on the Numbers page; recorded calls "
                "and voicemails appear here.",
            ),
        ),
        _confirm(),
        active="Recordings",
        title="Recordings",
    )


live.refresh_on(RecordingsState, "load", live.RECORDINGS, route=routes.RECORDINGS)
