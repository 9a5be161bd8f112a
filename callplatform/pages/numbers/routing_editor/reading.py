"""A stored route document read back into the form's draft. The form shows one shape
(business hours or not; each side a menu, a ring, a forward or voicemail; one menu, one
voice, one voicemail greeting): a document built otherwise (in the advanced editor, or
by the API) has no draft, and the page keeps it in the advanced view rather than
quietly dropping what the form can't show."""

from __future__ import annotations

from callplatform.pages.numbers.routing_editor.draft import (
    DAY_LABELS,
    Choice,
    Day,
    Draft,
    starter,
    to_document,
)
from callplatform.routing.document import WEEKDAYS, RoutingDocument


def _choice(route: list[dict], key: str = "") -> Choice:
    first = route[0]
    kind = first["type"]
    if kind == "ring":
        return Choice(key=key, kind=kind, user_ids=list(first["user_ids"]),
                      seconds=str(first["seconds"]))  # fmt: skip
    if kind == "forward":
        return Choice(key=key, kind=kind, phone=first["to"], seconds=str(first["seconds"]))
    return Choice(key=key, kind=kind)


def _days(hours: dict) -> list[Day]:
    days = []
    for name, label in zip(WEEKDAYS, DAY_LABELS, strict=True):
        spans = hours["week"].get(name) or []
        span = spans[0] if spans else {"open": "09:00", "close": "17:00"}
        end = "00:00" if span["close"] == "24:00" else span["close"]
        days.append(Day(name=name, label=label, is_open=bool(spans), start=span["open"], end=end))
    return days


def _first(route: list[dict], kind: str) -> dict | None:
    """The first step of `kind` among the routes of the draft's shape."""
    for step in route:
        if step["type"] == kind:
            return step
        for inner in (step.get("open"), step.get("closed"), step.get("fallback"),
                      *step.get("options", {}).values()):  # fmt: skip
            found = _first(inner, kind) if inner else None
            if found:
                return found
    return None


def from_document(document: RoutingDocument, *, user_id: int, zone: str) -> Draft | None:
    """The draft that saves back to exactly `document` (its block list apart), or None."""
    data = document.model_dump(mode="json")
    route = data["route"]
    draft = starter(user_id, zone)
    hours = route[0] if route and route[0]["type"] == "hours" else None
    if hours:
        draft.hours_on, draft.zone, draft.days = True, hours["zone"], _days(hours)
        draft.closures = list(hours["closures"])
        draft.when_open, draft.when_closed = _choice(hours["open"]), _choice(hours["closed"])
    elif route:
        draft.when_open = _choice(route)
    menu = _first(route, "menu")
    if menu:
        draft.greeting, draft.invalid_message = menu["greeting"], menu["invalid_message"]
        draft.voice = f"{menu['voice']['voice']}|{menu['voice']['language']}"
        draft.options = [_choice(r, key) for key, r in sorted(menu["options"].items())]
        draft.timeout, draft.attempts = str(menu["timeout_seconds"]), str(menu["attempts"])
        draft.fallback = _choice(menu["fallback"])
    voicemail = _first(route, "voicemail")
    if voicemail:
        draft.voicemail_greeting = voicemail["greeting"]
        if not menu:
            draft.voice = f"{voicemail['voice']['voice']}|{voicemail['voice']['language']}"
    rebuilt, errors = to_document(draft, data["blocked"])
    if errors:
        return None
    try:
        same = RoutingDocument.model_validate(rebuilt).model_dump(mode="json") == data
    except ValueError:
        return None
    return draft if same else None
