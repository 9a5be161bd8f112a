"""The softphone's talk timer (call_timer.jsx beside this file): it counts in the browser,
so a call in progress costs the server nothing per second."""

from __future__ import annotations

import reflex as rx


class CallTimer(rx.Component):
    library = f"$/public/{rx.asset('call_timer.jsx', shared=True)}"
    tag = "CallTimer"

    seconds: rx.Var[int]


def call_timer(seconds, **props) -> rx.Component:
    return CallTimer.create(seconds=seconds, **props)
