"""The audit log in words: who did what to whom, and what changed, with emails instead of
ids. Names are looked up once per page of events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from callplatform.common import audit, phone_format
from callplatform.models import AuditEvent, User

SOMEONE = "someone"  # a user that no longer exists
DEFAULT_CAP = "the platform default"
MAX_NAMED = 3  # a number assigned to this many members or fewer names them


@dataclass
class Entry:
    at: datetime
    action: str
    actor: str  # email, "" when none (a failed login, the command line)
    target: str
    sentence: str
    client: str


def _money(value: str | None) -> str:
    if value in (None, "", "None"):
        return DEFAULT_CAP
    try:
        return f"${float(value):,.2f}"
    except ValueError:
        return str(value)


def _number(d: dict) -> str:
    raw = d.get("number", "")
    try:
        return phone_format.display(raw) if raw else "a number"
    except ValueError:
        return raw


def _price(text: str) -> str:
    """'1.15 USD' -> '$1.15' (other currencies as they are)."""
    amount, _, unit = str(text).partition(" ")
    return _money(amount) if unit.upper() == "USD" else str(text)


def _change(label: str, was: str | None, now: str) -> str:
    if was is None or was == now:
        return f"{label} {now}"
    return f"{label} from {was} to {now}"


def describe(action: str, actor: str, target: str, d: dict) -> str:
    """One event as a sentence people read."""
    who = actor or "The command line" if action == "admin.promote" else actor or SOMEONE
    match action:
        case "login.failed":
            return f"Failed login as {d.get('email', target or SOMEONE)}"
        case "login.locked":
            return f"Logins as {d.get('email', target or SOMEONE)} locked after repeated failures"
        case "call.refused":
            return f"{who}'s call to {d.get('to', 'a number')} was refused: {d.get('reason', '')}"
        case "admin.promote":
            if d.get("created") == "yes":
                return f"{who} created the admin {target}"
            return f"{who} made {target} an admin"
        case "admin.suspend":
            return f"{who} suspended {target}"
        case "admin.reactivate":
            return f"{who} reactivated {target}"
        case "admin.set_cap":
            was = _money(d["was"]) if "was" in d else None
            return f"{who} set {target}'s monthly cap" + _change("", was, _money(d.get("cap")))
        case "admin.settings":
            was_cap = _money(d["was_default_cap"]) if "was_default_cap" in d else None
            cap = _change("default monthly cap", was_cap, _money(d.get("default_cap")))
            rate = _change(
                "calls per minute", d.get("was_calls_per_minute"), d.get("calls_per_minute", "?")
            )
            return f"{who} changed the platform settings: {cap}; {rate}"
        case "number.bought":
            price = f"{_price(d.get('monthly', '?'))} a month"
            return f"{who} bought {_number(d)} (“{d.get('name', '')}”, {price})"
        case "number.released":
            return f"{who} released {_number(d)} (“{d.get('name', '')}”)"
        case "number.assigned":
            count = len([m for m in d.get("members", "").split(",") if m])
            whom = "nobody" if count == 0 else f"{count} member" + ("s" if count > 1 else "")
            if 0 < count <= MAX_NAMED and d.get("member_emails"):  # who, when few
                whom = d["member_emails"]
            return f"{who} assigned {_number(d)} to {whom}"
        case "workspace.member_cap":
            if d.get("cap") in (None, "", "None"):
                return f"{who} removed {target}'s own monthly cap"
            return f"{who} set {target}'s own monthly cap to {_money(d['cap'])}"
        case "token.created":
            return f"{who} created the API token “{d.get('name', '')}” ({d.get('prefix', '')}…)"
        case "token.revoked":
            return f"{who} revoked the API token “{d.get('name', '')}” ({d.get('prefix', '')}…)"
    if action.startswith(("workspace.", "member.", "invitation.")):
        return _team_event(action, who, target, d)
    extra = ", ".join(f"{k}={v}" for k, v in sorted(d.items()))
    return (
        f"{who}: {action}" + (f" ({extra})" if extra else "") + (f" on {target}" if target else "")
    )


def _team_event(action: str, who: str, target: str, d: dict) -> str:
    where = f"“{d.get('workspace', '')}”"
    role = d.get("role", "member")
    match action:
        case "workspace.created":
            return f"{who} created the workspace {where}"
        case "member.role_changed":
            was = d.get("was", role)
            return f"{who} changed {target}'s role in {where} from {was} to {role}"
        case "member.removed":
            return f"{who} removed {target} from {where}"
        case "member.left":
            return f"{who} left {where}"
        case "invitation.created":
            return f"{who} invited {d.get('email', SOMEONE)} to {where} as {role}"
        case "invitation.revoked":
            return f"{who} withdrew the invitation of {d.get('email', SOMEONE)} to {where}"
        case "invitation.accepted":
            return f"{who} joined {where} as {role}"
    return f"{who}: {action} in {where}"


def _assigned(event: AuditEvent) -> list[int]:
    """The members a number.assigned event gave the number to (its detail holds ids)."""
    if event.action != "number.assigned":
        return []
    return [int(m) for m in event.detail.get("members", "").split(",") if m.isdigit()]


def _emails(session: Session, events: list[AuditEvent]) -> dict[int, str]:
    ids = {e.actor_user_id for e in events} | {e.target_user_id for e in events}
    ids |= {m for e in events for m in _assigned(e)}
    ids.discard(None)
    if not ids:
        return {}
    rows = session.exec(select(User.id, User.email).where(col(User.id).in_(ids)))
    return dict(rows.all())


def list_entries(
    *, session: Session, actor: User, action: str = "", limit: int = 200
) -> list[Entry]:
    """The audit log for admins, newest first, in words (admin-only, as `list_events`)."""
    events = audit.list_events(session=session, actor=actor, action=action, limit=limit)
    return entries_of(session=session, events=events)


def entries_of(*, session: Session, events: list[AuditEvent]) -> list[Entry]:
    """Events in words, the people in them by email (looked up once for all)."""
    emails = _emails(session, events)

    def name(user_id: int | None) -> str:
        return "" if user_id is None else emails.get(user_id, SOMEONE)

    return [
        Entry(
            at=e.at,
            action=e.action,
            actor=name(e.actor_user_id),
            target=name(e.target_user_id),
            sentence=describe(
                e.action, name(e.actor_user_id), name(e.target_user_id), _with_names(e, name)
            ),
            client=e.client,
        )
        for e in events
    ]


def _with_names(event: AuditEvent, name) -> dict:
    """The event's detail, with the emails of the members a number was assigned to."""
    members = _assigned(event)
    if not members:
        return event.detail
    emails = [name(m) for m in members]
    joined = emails[0] if len(emails) == 1 else ", ".join(emails[:-1]) + " and " + emails[-1]
    return {**event.detail, "member_emails": joined}
