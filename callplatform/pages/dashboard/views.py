"""The Dashboard's cards: each list short, each empty state saying what to do next."""

from __future__ import annotations

import reflex as rx

from callplatform import routes
from callplatform.components.player import recording_player
from callplatform.components.when import when
from callplatform.pages.dashboard.state import CallView, DashboardState, NumberView
from callplatform.state.call_views import RecordingRow
from callplatform.state.softphone import SoftphoneState

S = DashboardState
MUTED = rx.color("gray", 11)


def _card(title: str, icon: str, href: str, body: rx.Component, card_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(icon, size=18, color=rx.color("accent", 10)),
                rx.heading(title, size="3"),
                rx.spacer(),
                rx.link("See all", href=href, size="2"),
                align="center",
                width="100%",
            ),
            body,
            spacing="3",
            width="100%",
        ),
        width="100%",
        min_width="0",
        id=card_id,
    )


def _empty(text: str, href: str, action: str) -> rx.Component:
    return rx.vstack(
        rx.text(text, size="2", color=MUTED),
        rx.link(rx.button(action, variant="soft", size="1"), href=href),
        spacing="2",
        align="start",
    )


def _when(iso: str) -> rx.Component:
    return rx.text(when(iso, format="MMM D, HH:mm"), size="1", color=MUTED)


def _call_back(number: str) -> rx.Component:
    return rx.button(
        rx.icon("phone-outgoing", size=14),
        "Call back",
        size="1",
        variant="soft",
        on_click=SoftphoneState.dial(number),
        class_name="call-back",
    )


def _call(call: CallView, with_call_back: bool) -> rx.Component:
    return rx.hstack(
        rx.icon(
            rx.cond(call.direction == "inbound", "phone-incoming", "phone-outgoing"),
            size=16,
            color=MUTED,
            flex_shrink="0",
        ),
        rx.vstack(
            rx.link(call.who, href="/calls/" + call.id.to_string(), weight="medium"),
            _when(call.started_at),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.badge(call.status, color_scheme=call.status_color),
        # A withheld or unknown caller ("anonymous") can't be called back.
        *([rx.cond(call.dial.startswith("+"), _call_back(call.dial))] if with_call_back else []),
        align="center",
        width="100%",
        wrap="wrap",
    )


def missed_calls() -> rx.Component:
    return _card(
        "Missed calls",
        "phone-missed",
        routes.CALLS,
        rx.cond(
            S.missed.length() > 0,
            rx.vstack(rx.foreach(S.missed, lambda c: _call(c, True)), width="100%"),
            rx.text("No missed calls. Calls you don't answer show up here.", size="2", color=MUTED),
        ),
        "dash-missed",
    )


def recent_calls() -> rx.Component:
    return _card(
        "Recent calls",
        "phone",
        routes.CALLS,
        rx.cond(
            S.recent.length() > 0,
            rx.vstack(rx.foreach(S.recent, lambda c: _call(c, False)), width="100%"),
            rx.text(
                "No calls yet. Press the phone button (bottom right) to make one.",
                size="2",
                color=MUTED,
            ),
        ),
        "dash-recent",
    )


def _voicemail(rec: RecordingRow) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(rx.cond(rec.caller != "", rec.caller, "Unknown caller"), weight="medium"),
            _when(rec.created_at),
            align="baseline",
            wrap="wrap",
        ),
        recording_player(rec),
        spacing="1",
        width="100%",
    )


def voicemails() -> rx.Component:
    return _card(
        "Voicemails",
        "voicemail",
        routes.RECORDINGS,
        rx.cond(
            S.voicemails.length() > 0,
            rx.vstack(rx.foreach(S.voicemails, _voicemail), spacing="3", width="100%"),
            _empty(
                "No voicemails. Turn on voicemail for a number so callers can leave one.",
                routes.NUMBERS,
                "Number settings",
            ),
        ),
        "dash-voicemails",
    )


def spend() -> rx.Component:
    return _card(
        "This month's spend",
        "wallet",
        routes.USAGE,
        rx.vstack(
            rx.text(rx.text.strong(S.spend, id="dash-spend"), " of your ", S.cap, " monthly cap"),
            rx.progress(value=S.cap_percent, max=100, width="100%"),
            rx.text(
                "Lower your cap or see what each call cost on the Usage page.",
                size="1",
                color=MUTED,
            ),
            spacing="2",
            width="100%",
        ),
        "dash-spend-card",
    )


def _number(n: NumberView) -> rx.Component:
    return rx.hstack(
        rx.text(n.number, weight="medium"),
        rx.text(n.name, size="2", color=MUTED),
        align="baseline",
        wrap="wrap",
    )


def numbers() -> rx.Component:
    return _card(
        "Your numbers",
        "hash",
        routes.NUMBERS,
        rx.cond(
            S.numbers.length() > 0,
            rx.vstack(rx.foreach(S.numbers, _number), width="100%"),
            _empty(
                "You have no number yet. Buy one to make and take calls.",
                routes.NUMBERS,
                "Find a number",
            ),
        ),
        "dash-numbers",
    )
