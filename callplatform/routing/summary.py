"""A routing in plain words, for the number's page: "Weekdays 9-17 Europe/Berlin: ring
Anna and Ben for 20 s, then forward to +1 (415) 555-0100; otherwise: greeting, then
voicemail"."""

from __future__ import annotations

from collections.abc import Mapping

from callplatform.common.phone_format import display
from callplatform.routing.document import (
    WEEKDAYS,
    Forward,
    Hangup,
    Hours,
    Menu,
    Ring,
    RoutingDocument,
    Say,
    Voicemail,
)

_DAY_NAMES = dict(zip(WEEKDAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True))


def describe(document: RoutingDocument, names: Mapping[int, str]) -> str:
    """The whole routing in one paragraph; `names` are the members' names by user id."""
    text = _route(document.route, names)
    if document.blocked:
        count = len(document.blocked)
        text += f" ({count} blocked caller{'s' if count != 1 else ''})"
    return text


def _route(route, names: Mapping[int, str]) -> str:
    return ", then ".join(_step(step, names) for step in route)


def _people(user_ids, names: Mapping[int, str], joiner: str) -> str:
    """ "Anna and Ben", "Anna, Ben and Cleo"; in turn: "Anna, then Ben, then Cleo"."""
    people = [names.get(uid, f"member {uid}") for uid in user_ids]
    if len(people) == 1:
        return people[0]
    head = joiner.join(people[:-1]) if joiner == ", then " else ", ".join(people[:-1])
    return head + joiner + people[-1]


def _step(step, names: Mapping[int, str]) -> str:
    if isinstance(step, Ring):
        if step.order == "in_turn" and len(step.user_ids) > 1:
            return f"ring {_people(step.user_ids, names, ', then ')}, {step.seconds} s each"
        return f"ring {_people(step.user_ids, names, ' and ')} for {step.seconds} s"
    if isinstance(step, Forward):
        shown = " (showing our number)" if step.caller_id == "number" else ""
        return f"forward to {display(step.to)}{shown}"
    if isinstance(step, Say):
        return "greeting"
    if isinstance(step, Voicemail):
        return "voicemail"
    if isinstance(step, Hangup):
        return "hang up"
    if isinstance(step, Menu):
        keys = "; ".join(f"{key}: {_route(r, names)}" for key, r in sorted(step.options.items()))
        return f"menu ({keys}; no choice: {_route(step.fallback, names)})"
    if isinstance(step, Hours):
        when, otherwise = _route(step.open, names), _route(step.closed, names)
        return f"{hours_text(step)}: {when}; otherwise: {otherwise}"
    return step.type


def _clock(value: str) -> str:
    hours, minutes = value.split(":")
    return str(int(hours)) if minutes == "00" else f"{int(hours)}:{minutes}"


def _spans(spans) -> str:
    ordered = sorted(spans, key=lambda s: s.open)
    return ", ".join(f"{_clock(s.open)}-{_clock(s.close)}" for s in ordered)


def hours_text(hours: Hours) -> str:
    """ "Weekdays 9-17 Europe/Berlin", "Mon-Thu 9-17, Fri 9-13 America/New_York (closed on
    2026-12-25)": runs of days with the same hours grouped."""
    runs: list[tuple[list[str], str]] = []
    for day in WEEKDAYS:
        spans = hours.week.get(day) or []
        if not spans:
            continue
        text = _spans(spans)
        follows = runs and WEEKDAYS.index(runs[-1][0][-1]) == WEEKDAYS.index(day) - 1
        if follows and runs[-1][1] == text:
            runs[-1][0].append(day)
        else:
            runs.append(([day], text))
    parts = []
    for days, text in runs:
        if days == list(WEEKDAYS[:5]):
            label = "Weekdays"
        elif days == list(WEEKDAYS):
            label = "Every day"
        elif len(days) == 1:
            label = _DAY_NAMES[days[0]]
        else:
            label = f"{_DAY_NAMES[days[0]]}-{_DAY_NAMES[days[-1]]}"
        parts.append(f"{label} {text}")
    when = ", ".join(parts) if parts else "Never open"
    closed = ""
    if hours.closures:
        dates = ", ".join(d.isoformat() for d in sorted(hours.closures)[:3])
        more = f" and {len(hours.closures) - 3} more" if len(hours.closures) > 3 else ""
        closed = f" (closed on {dates}{more})"
    return f"{when} {hours.zone}{closed}"
