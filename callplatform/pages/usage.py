"""Usage page: this month's (or a past month's) costs per kind, per number and per day,
and the ledger items behind any total."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import reflex as rx

from callplatform.components.layout import empty_state, page_shell
from callplatform.db import read_scope, session_scope
from callplatform.models import Role, User
from callplatform.services import spend, usage
from callplatform.services.errors import ServiceError
from callplatform.services.phone_format import display
from callplatform.state.session import SessionState

KIND_LABELS = {"number_monthly": "Numbers", "call": "Calls", "recording": "Recordings"}


@dataclass
class ItemView:
    when: str = ""
    kind: str = ""
    description: str = ""
    twilio_cost: str = ""
    charge: str = ""


@dataclass
class Tile:
    kind: str = ""
    label: str = ""
    amount: str = ""


@dataclass
class NumberSpend:
    number: str = ""
    amount: str = ""
    extra: list[str] = field(default_factory=list)


def money(value) -> str:
    return f"${value:,.2f}"


class UsageState(SessionState):
    month: str = ""
    tiles: list[Tile] = []
    total: str = "$0.00"
    twilio_cost: str = "$0.00"
    markup: str = "$0.00"
    per_number: list[NumberSpend] = []
    daily: list[dict[str, str | float]] = []  # recharts wants plain rows
    kind: str = ""
    items: list[ItemView] = []
    error: str = ""
    cap: str = ""
    cap_percent: int = 0
    cap_error: str = ""
    viewing: str = ""  # another user's email, when an admin looks at their usage

    def _subject(self, session, user: User) -> User:
        """Whose usage to show: the user's own, or (admins only, `?user=ID`) another's."""
        wanted = str(self.router.page.params.get("user", ""))
        if user.role == Role.ADMIN and wanted.isdigit():
            return session.get(User, int(wanted)) or user
        return user

    @rx.event
    def load(self):
        user = self._user()
        if user is None:
            return self._bounce()
        try:
            month = usage.Month.parse(self.month) if self.month else usage.Month.current()
        except ServiceError as exc:
            self.error = exc.message
            return
        self.month, self.error = month.label(), ""
        with read_scope() as session:
            subject = self._subject(session, user)
            self.viewing = "" if subject.id == user.id else subject.email
            self.cap = f"${spend.effective_cap(session=session, user=subject):,.2f}"
            self.cap_percent = spend.cap_usage_percent(session=session, user=subject)
            summary = usage.get_summary(session=session, owner_id=subject.id, month=month)
            rows = usage.list_items(
                session=session, owner_id=subject.id, month=month, kind=self.kind or None
            )
        self.tiles = [
            Tile(kind=k, label=label, amount=money(summary.by_kind.get(k, 0)))
            for k, label in KIND_LABELS.items()
        ]
        self.total, self.twilio_cost = money(summary.total), money(summary.twilio_cost)
        self.markup = money(summary.markup)
        self.per_number = [
            NumberSpend(number=display(n), amount=money(a)) for n, a in summary.by_number
        ]
        self.daily = [{"day": d[5:], "spend": float(a)} for d, a in summary.daily]
        self.items = [
            ItemView(
                when=r.occurred_at.isoformat(),
                kind=KIND_LABELS.get(r.kind, r.kind),
                description=r.description,
                twilio_cost=f"${r.twilio_cost:.5f}",
                charge=f"${r.charge:.5f}",
            )
            for r in rows
        ]

    @rx.event
    def set_month(self, value: str):
        self.month = str(value)[:7]
        return UsageState.load

    @rx.event
    def set_own_cap(self, form: dict):
        user = self._user()
        if user is None:
            return self._bounce()
        raw = str(form.get("cap", "")).strip().lstrip("$")
        try:
            value = Decimal(raw) if raw else None
            with session_scope() as session:
                spend.set_own_cap(session=session, user=session.merge(user), cap=value)
        except (InvalidOperation, ServiceError) as exc:
            self.cap_error = getattr(exc, "message", "Enter an amount like 25.00.")
            return
        self.cap_error = ""
        return [UsageState.load, rx.toast.success("Your monthly cap is saved.")]

    @rx.event
    def show_kind(self, kind: str):
        self.kind = kind if kind in KIND_LABELS else ""
        return UsageState.load


def _tile(tile: Tile) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(tile.label, size="2", color=rx.color("gray", 11)),
            rx.heading(tile.amount, size="6"),
            spacing="1",
        ),
        on_click=UsageState.show_kind(tile.kind),
        cursor="pointer",
        width="100%",
        class_name="usage-tile",
    )


def _chart() -> rx.Component:
    return rx.card(
        rx.heading("Daily spend", size="3", margin_bottom="0.5rem"),
        rx.recharts.bar_chart(
            rx.recharts.bar(data_key="spend", fill=rx.color("accent", 9), name="Spend ($)"),
            rx.recharts.x_axis(data_key="day"),
            rx.recharts.y_axis(),
            rx.recharts.graphing_tooltip(),
            data=UsageState.daily,
            height=220,
            width="100%",
        ),
        width="100%",
    )


def _items() -> rx.Component:
    cols = ("When", "Kind", "What", "Twilio price", "You pay")
    return rx.card(
        rx.hstack(
            rx.heading("Items", size="3"),
            rx.cond(
                UsageState.kind != "",
                rx.button("Show all", variant="ghost", on_click=UsageState.show_kind("")),
            ),
            align="center",
        ),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(c) for c in cols])),
            rx.table.body(
                rx.foreach(
                    UsageState.items,
                    lambda i: rx.table.row(
                        rx.table.cell(rx.moment(i.when, format="MMM D, HH:mm")),
                        rx.table.cell(i.kind),
                        rx.table.cell(i.description),
                        rx.table.cell(i.twilio_cost),
                        rx.table.cell(i.charge),
                    ),
                )
            ),
            width="100%",
            id="usage-items",
        ),
        width="100%",
    )


def _cap_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(
                    "You have used ",
                    rx.text.strong(UsageState.cap_percent, "%"),
                    " of your ",
                    UsageState.cap,
                    " monthly spend cap.",
                    id="cap-usage",
                ),
                width="100%",
            ),
            rx.progress(value=UsageState.cap_percent, max=100, width="100%"),
            rx.form(
                rx.hstack(
                    rx.input(
                        name="cap",
                        placeholder="Lower your cap, e.g. 25.00",
                        input_mode="decimal",
                        id="own-cap",
                    ),
                    rx.button("Save cap", type="submit", variant="soft"),
                    rx.cond(
                        UsageState.cap_error != "",
                        rx.text(UsageState.cap_error, color=rx.color("red", 11), size="2"),
                    ),
                    align="center",
                    wrap="wrap",
                ),
                on_submit=UsageState.set_own_cap,
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def usage_page() -> rx.Component:
    return page_shell(
        rx.hstack(
            rx.input(
                type="month",
                value=UsageState.month,
                on_change=UsageState.set_month,
                aria_label="Month",
                id="usage-month",
            ),
            rx.spacer(),
            rx.text(
                "Twilio ",
                UsageState.twilio_cost,
                " + platform ",
                UsageState.markup,
                " = ",
                rx.text.strong(UsageState.total, id="usage-total"),
            ),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            UsageState.viewing != "",
            rx.callout(
                "Viewing the usage of " + UsageState.viewing, icon="shield", id="viewing-user"
            ),
        ),
        rx.cond(UsageState.error != "", rx.callout(UsageState.error, color_scheme="red")),
        _cap_card(),
        rx.grid(
            rx.foreach(UsageState.tiles, _tile),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="4",
            width="100%",
        ),
        rx.cond(
            UsageState.items.length() > 0,
            rx.fragment(_chart(), _items()),
            empty_state(
                "chart-column",
                "Nothing spent this month",
                "Costs appear here when you buy a number or make calls.",
            ),
        ),
        active="Usage",
        title="Usage",
    )
