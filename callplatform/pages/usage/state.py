"""State of the Usage page: a month's totals, items, daily spend and the spend cap, for
the user (or, for an admin, the user named in `?user=`). Queries run in a worker thread,
off the event loop every user shares."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import reflex as rx

from callplatform import routes
from callplatform.billing import spend, usage
from callplatform.billing.shown import NO_NUMBER, shown_usage
from callplatform.common.errors import ServiceError
from callplatform.common.phone_format import display
from callplatform.db import read_scope, session_scope
from callplatform.models import Role, User, WorkspaceRole
from callplatform.state import live
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member
from callplatform.workspaces import membership, team
from callplatform.workspaces.access import Member

KIND_LABELS = {
    "number_monthly": "Numbers",
    "call": "Calls",
    "recording": "Recordings",
    "message": "Texts",
}


@dataclass
class ItemView:
    when: str = ""
    kind: str = ""
    description: str = ""
    twilio_cost: str = ""
    charge: str = ""
    href: str = ""  # the call (or number) this line is for


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


@dataclass
class _Figures:
    viewing: str
    split: bool  # an admin looking: Twilio's cost and the markup, not just the charge
    cap: str
    cap_percent: int
    summary: usage.UsageSummary
    rows: list
    team: bool  # a team's admin or owner looking: the month by member too


def _figures(
    user: User, member: Member, wanted: str, month: usage.Month, kind: str | None
) -> _Figures:
    """The month's figures the page shows, read in one go: the workspace the tab acts
    in (a member who isn't an admin: their own calls' and texts'), or (platform admins
    only, `?user=ID`) another user's personal workspace, as its owner sees it."""
    with read_scope() as session:
        subject = member
        other = session.get(User, int(wanted)) if wanted.isdigit() and len(wanted) < 12 else None
        if user.role == Role.ADMIN and other is not None and other.id != user.id:
            personal = membership.personal_workspace_id(session=session, user_id=other.id)
            if personal is not None:
                subject = Member(personal, other.id, WorkspaceRole.OWNER, frozenset())
        workspace_id = subject.workspace_id
        return _Figures(
            viewing="" if subject is member else other.email,
            split=user.role == Role.ADMIN,
            cap=f"${spend.effective_cap(session=session, workspace_id=workspace_id):,.2f}",
            cap_percent=spend.cap_usage_percent(session=session, workspace_id=workspace_id),
            summary=usage.get_summary(session=session, member=subject, month=month),
            rows=usage.list_items(session=session, member=subject, month=month, kind=kind),
            team=subject.manages and len(team.member_ids(session, workspace_id)) > 1,
        )


def _save_own_cap(member: Member, value: Decimal | None) -> None:
    with session_scope() as session:
        spend.set_workspace_cap(session=session, member=member, cap=value)


class UsageState(SessionState):
    month: str = ""
    tiles: list[Tile] = []
    total: str = "$0.00"
    twilio_cost: str = "$0.00"
    markup: str = "$0.00"
    per_number: list[NumberSpend] = []
    by_member: list[NumberSpend] = []  # a team's admins and owners only ("" otherwise)
    daily: list[dict[str, str | float]] = []  # recharts wants plain rows
    kind: str = ""
    items: list[ItemView] = []
    error: str = ""
    cap: str = ""
    cap_percent: int = 0
    cap_error: str = ""
    viewing: str = ""  # another user's email, when an admin looks at their usage
    split: bool = False  # admins only: what Twilio charged and the platform's markup

    @rx.event
    async def load(self):
        user = await self._current_user()
        if user is None:
            return self._bounce()
        try:
            month = usage.Month.parse(self.month) if self.month else usage.Month.current()
        except ServiceError as exc:
            self.error = exc.message
            return
        self.month, self.error = month.label(), ""
        wanted = str(self.router.page.params.get("user", ""))
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        figures = await asyncio.to_thread(_figures, user, member, wanted, month, self.kind or None)
        self.viewing, self.cap = figures.viewing, figures.cap
        self.cap_percent, self.split = figures.cap_percent, figures.split
        summary, rows = figures.summary, figures.rows
        shown = shown_usage(summary)  # every figure to the cent, adding up to the total
        minutes = {"call": summary.call_minutes, "recording": summary.recording_minutes}
        self.tiles = [
            Tile(
                kind=k,
                label=label + (f" · {minutes[k]} min" if k in minutes else ""),
                amount=money(shown.by_kind.get(k, 0)),
            )
            for k, label in KIND_LABELS.items()
        ]
        self.total = money(shown.total)
        # What Twilio charged and the markup are the platform's business: users get "".
        self.twilio_cost = money(shown.twilio_cost) if self.split else ""
        self.markup = money(shown.markup) if self.split else ""
        self.per_number = [
            NumberSpend(number=n if n == NO_NUMBER else display(n), amount=money(a))
            for n, a in shown.by_number
        ]
        self.by_member = (
            [NumberSpend(number=name, amount=money(a)) for name, a in shown.by_member]
            if figures.team
            else []
        )
        self.daily = [{"day": d[5:], "spend": float(a)} for d, a in shown.daily]
        self.items = [
            ItemView(
                when=r.occurred_at.isoformat(),
                kind=KIND_LABELS.get(r.kind, r.kind),
                description=r.description,
                twilio_cost=f"${r.twilio_cost:.5f}" if self.split else "",
                charge=f"${r.charge:.5f}",
                href=f"/calls/{r.call_id}" if r.call_id else "/numbers" if r.number_id else "",
            )
            for r in rows
        ]

    @rx.event
    def set_month(self, value: str):
        self.month = str(value)[:7]
        return UsageState.load

    @rx.event
    async def set_own_cap(self, form: dict):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        raw = str(form.get("cap", "")).strip().lstrip("$")
        try:
            value = Decimal(raw) if raw else None
            await asyncio.to_thread(_save_own_cap, member, value)
        except (InvalidOperation, ServiceError) as exc:
            self.cap_error = getattr(exc, "message", "Enter an amount like 25.00.")
            return
        self.cap_error = ""
        return [UsageState.load, rx.toast.success("Your monthly cap is saved.")]

    @rx.event
    def show_kind(self, kind: str):
        self.kind = kind if kind in KIND_LABELS else ""
        return UsageState.load


live.refresh_on(UsageState, "load", live.CALLS, live.NUMBERS, route=routes.USAGE)
