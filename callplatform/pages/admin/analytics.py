"""The admin dashboard's analytics: totals, charts over a date range, top spenders, CSV.
Admin-only in the handler and again in the service. Queries run in a worker thread, off
the event loop every user shares."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import reflex as rx

from callplatform.admin import analytics
from callplatform.common.errors import ServiceError
from callplatform.db import in_read_session
from callplatform.models import Role
from callplatform.state.session import SessionState


@dataclass
class TopUser:
    email: str = ""
    spend: str = ""


def _parse(text: str, default: date) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return default


class AnalyticsState(SessionState):
    start: str = ""
    end: str = ""
    stats: list[list[str]] = []  # [label, value]
    series: list[dict[str, str | float]] = []
    top: list[TopUser] = []

    async def _admin(self):
        user = await self._current_user()
        return user if user is not None and user.role == Role.ADMIN else None

    def _range(self) -> tuple[date, date]:
        today = datetime.now(UTC).date()
        return _parse(self.start, today - timedelta(days=29)), _parse(self.end, today)

    @rx.event
    async def load(self):
        admin = await self._admin()
        if admin is None:
            return self._bounce()
        start, end = self._range()
        self.start, self.end = start.isoformat(), end.isoformat()
        try:
            d = await asyncio.to_thread(
                in_read_session, analytics.dashboard, actor=admin, start=start, end=end
            )
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.stats = [
            ["Users", f"{d.users:,}"],
            ["Active in range", f"{d.active_users:,}"],
            ["Numbers owned", f"{d.numbers:,}"],
            ["Calls", f"{d.calls:,}"],
            ["Minutes", f"{d.minutes:,}"],
            ["Failed or unanswered", f"{d.failed_rate:.1%}"],
            ["Twilio cost", f"${d.twilio_cost:,.2f}"],
            ["Revenue (markup)", f"${d.revenue:,.2f}"],
        ]
        self.series = [
            {
                "day": r.day[5:],
                "calls": r.calls,
                "minutes": r.minutes,
                "cost": float(r.twilio_cost),
                "revenue": float(r.revenue),
            }
            for r in d.days
        ]
        self.top = [TopUser(email=e, spend=f"${s:,.2f}") for e, s in d.top_users]

    @rx.event
    def set_range(self, which: str, value: str):
        if which in ("start", "end"):
            setattr(self, which, str(value)[:10])
            return AnalyticsState.load

    @rx.event
    async def export_csv(self):
        admin = await self._admin()
        if admin is None:
            return self._bounce()
        start, end = self._range()
        rows = await asyncio.to_thread(
            in_read_session, analytics.days, actor=admin, start=start, end=end
        )
        return rx.download(data=analytics.days_csv(rows), filename=f"platform-{start}-{end}.csv")


def _chart(*series: tuple[str, str], kind=rx.recharts.bar_chart, item=rx.recharts.bar):
    return kind(
        *[
            item(data_key=key, name=label, fill=color, stroke=color)
            for key, label, color in ((k, lbl, rx.color(c, 9)) for k, lbl, c in series)
        ],
        rx.recharts.x_axis(data_key="day"),
        rx.recharts.y_axis(),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(),
        data=AnalyticsState.series,
        height=220,
        width="100%",
    )


def analytics_section() -> rx.Component:
    s = AnalyticsState
    return rx.vstack(
        rx.hstack(
            rx.heading("Platform", size="4"),
            rx.spacer(),
            rx.input(
                type="date",
                value=s.start,
                on_change=lambda v: s.set_range("start", v),
                aria_label="From",
            ),
            rx.input(
                type="date", value=s.end, on_change=lambda v: s.set_range("end", v), aria_label="To"
            ),
            rx.button(rx.icon("download", size=14), "CSV", variant="soft", on_click=s.export_csv),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.grid(
            rx.foreach(
                s.stats,
                lambda st: rx.card(
                    rx.text(st[0], size="2", color=rx.color("gray", 11)),
                    rx.heading(st[1], size="5"),
                ),
            ),
            columns=rx.breakpoints(initial="2", md="4"),
            spacing="3",
            width="100%",
            id="admin-stats",
        ),
        rx.grid(
            rx.card(
                rx.text("Calls and minutes per day", weight="medium"),
                _chart(("calls", "Calls", "indigo"), ("minutes", "Minutes", "cyan")),
            ),
            rx.card(
                rx.text("Twilio cost and revenue per day ($)", weight="medium"),
                _chart(
                    ("cost", "Twilio cost", "orange"),
                    ("revenue", "Revenue", "green"),
                    kind=rx.recharts.line_chart,
                    item=rx.recharts.line,
                ),
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="3",
            width="100%",
        ),
        rx.card(
            rx.text("Top users by spend", weight="medium"),
            rx.foreach(
                s.top,
                lambda t: rx.hstack(rx.text(t.email), rx.spacer(), rx.text(t.spend), width="100%"),
            ),
            width="100%",
            id="top-users",
        ),
        spacing="3",
        width="100%",
    )
