"""The one way a page shows a moment in time: in the user's own time zone (Settings),
whatever the server's or the browser's zone."""

from __future__ import annotations

import reflex as rx

from callplatform.state.session import SessionState

DATE = "MMM D, YYYY"
DATE_TIME = "MMM D, YYYY HH:mm"


def when(value, format: str = DATE_TIME, **props) -> rx.Component:  # noqa: A002
    """`value` (an aware datetime var) formatted in `SessionState.time_zone`."""
    if not props.get("from_now"):
        props["format"] = format
    return rx.moment(value, tz=SessionState.time_zone, **props)
