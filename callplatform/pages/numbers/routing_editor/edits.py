"""One edit of the form, applied to a copy of the draft. A client can call the state's
handlers with anything, so every argument is checked here: a day, field, key or kind
that isn't one of ours, or a value of the wrong type, changes nothing (False)."""

from __future__ import annotations

from callplatform.calls import destinations
from callplatform.common.errors import ServiceError
from callplatform.pages.numbers.routing_editor.draft import (
    FALLBACK_KINDS,
    KEY_KINDS,
    MAX_CLOSURES,
    MENU_KEYS,
    TOP_KINDS,
    Choice,
    Draft,
)
from callplatform.routing.document import TEXT

SHORT = 40  # a time, a number of seconds, a phone number, a zone, a date
MAX_OPTIONS = len(MENU_KEYS)
MAX_MEMBERS = 10
_MENU_TEXT = {"greeting", "invalid_message", "voicemail_greeting"}
_MENU_SHORT = {"voice", "timeout", "attempts", "zone"}


def _text(value, limit: int) -> str | None:
    return value[: limit + 1] if isinstance(value, str) else None


def set_field(draft: Draft, name, value) -> bool:
    """The menu's, voicemail's and hours' own fields (not per day, key or choice)."""
    if name == "hours_on" and isinstance(value, bool):
        draft.hours_on = value
        return True
    limit = TEXT if name in _MENU_TEXT else SHORT if name in _MENU_SHORT else None
    text = _text(value, limit) if limit else None
    if text is None:
        return False
    setattr(draft, name, text)
    return True


def set_day(draft: Draft, day, name, value) -> bool:
    found = [d for d in draft.days if d.name == day] if isinstance(day, str) else []
    if not found:
        return False
    if name == "is_open" and isinstance(value, bool):
        found[0].is_open = value
    elif name in ("start", "end") and (text := _text(value, SHORT)) is not None:
        setattr(found[0], name, text)
    else:
        return False
    return True


def add_closure(draft: Draft, value) -> bool:
    text = _text(value, SHORT)
    if not text or text in draft.closures or len(draft.closures) >= MAX_CLOSURES:
        return False
    draft.closures = sorted([*draft.closures, text.strip()])
    return True


def remove_closure(draft: Draft, value) -> bool:
    if not isinstance(value, str) or value not in draft.closures:
        return False
    draft.closures = [d for d in draft.closures if d != value]
    return True


def _slot(draft: Draft, slot) -> tuple[Choice, tuple[str, ...]] | None:
    """The choice a handler names: "when_open", "when_closed", "fallback", or a menu
    option by its position (an int), with the kinds it may take."""
    if slot == "when_open":
        return draft.when_open, TOP_KINDS
    if slot == "when_closed":
        return draft.when_closed, TOP_KINDS
    if slot == "fallback":
        return draft.fallback, FALLBACK_KINDS
    if isinstance(slot, int) and not isinstance(slot, bool) and 0 <= slot < len(draft.options):
        return draft.options[slot], KEY_KINDS
    return None


def set_choice(draft: Draft, slot, name, value) -> bool:
    found = _slot(draft, slot)
    if found is None:
        return False
    choice, kinds = found
    if name == "kind" and value in kinds:
        choice.kind = value
    elif name == "key" and value in MENU_KEYS and isinstance(slot, int):
        choice.key = value
    elif name in ("seconds", "phone") and (text := _text(value, SHORT)) is not None:
        setattr(choice, name, text)
    else:
        return False
    return True


def toggle_member(draft: Draft, slot, user_id, on, allowed: set[int]) -> bool:
    """Ring (or not) a member the number may ring; `allowed` comes from the server."""
    found = _slot(draft, slot)
    is_id = isinstance(user_id, int) and not isinstance(user_id, bool)
    if found is None or not is_id or user_id not in allowed or not isinstance(on, bool):
        return False
    choice = found[0]
    if on and user_id not in choice.user_ids and len(choice.user_ids) < MAX_MEMBERS:
        choice.user_ids = [*choice.user_ids, user_id]
    elif not on and user_id in choice.user_ids:
        choice.user_ids = [uid for uid in choice.user_ids if uid != user_id]
    else:
        return False
    return True


def add_option(draft: Draft) -> bool:
    free = [k for k in (*MENU_KEYS[1:], "0") if k not in {o.key for o in draft.options}]
    if not free or len(draft.options) >= MAX_OPTIONS:
        return False
    draft.options = [*draft.options, Choice(key=free[0])]
    return True


def remove_option(draft: Draft, index) -> bool:
    if _slot(draft, index) is None or isinstance(index, str):
        return False
    draft.options = [o for i, o in enumerate(draft.options) if i != index]
    return True


def blame(draft: Draft, message: str) -> bool:
    """Put an error the server found on saving (a forward that would loop back) next to
    the forward it names, as well as above the Save button."""
    blamed = False
    for choice in (draft.when_open, draft.when_closed, draft.fallback, *draft.options):
        if choice.kind != "forward":
            continue
        try:
            e164 = destinations.check_destination(choice.phone)
        except ServiceError:
            continue
        if e164 in message:
            choice.error, blamed = message, True
    return blamed
