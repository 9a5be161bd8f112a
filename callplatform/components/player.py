"""An inline audio player and download link for one recording (served by our own
authenticated route)."""

from __future__ import annotations

import reflex as rx

from callplatform.state.call_views import RecordingRow


def recording_player(rec: RecordingRow) -> rx.Component:
    return rx.hstack(
        rx.el.audio(src=rec.media_url, controls=True, preload="none", class_name="recording-audio"),
        rx.text(rec.duration, size="2"),
        rx.cond(rec.voicemail, rx.badge("voicemail", color_scheme="purple")),
        rx.link(
            rx.icon("download", size=16),
            href=rec.media_url + "?download=1",
            aria_label="Download recording",
        ),
        align="center",
        spacing="3",
        wrap="wrap",
    )
