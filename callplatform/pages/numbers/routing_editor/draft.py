"""What the routing form holds, as typed (strings, flags, lists), and its way to a route
document (`routing/document.py`): `to_document` builds the document and says, field by
field, in words, what is wrong. Nothing here touches the database: the state runs it on
every edit for the live summary. The way back (a stored document to a draft) is
`reading.py`."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from callplatform.accounts.profile import time_zones
from callplatform.calls import destinations
from callplatform.common.errors import ServiceError
from callplatform.routing.document import DEFAULT_VOICEMAIL, TEXT, VOICES, WEEKDAYS

DAY_LABELS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TOP_KINDS = ("menu", "ring", "forward", "voicemail")  # when open / when closed
KEY_KINDS = ("ring", "forward", "voicemail")  # a menu's keys
FALLBACK_KINDS = ("voicemail", "ring", "forward", "hangup")  # no valid key in time
MENU_KEYS = tuple("0123456789")
MAX_CLOSURES = 100
# "voice|language" as the voice picker offers them (every pair document.VOICES allows).
VOICE_CHOICES = tuple(f"{v}|{lang}" for v, langs in VOICES.items() for lang in sorted(langs))
DEFAULT_VOICE = "Polly.Joanna|en-US"
DEFAULT_GREETING = "Thanks for calling. Press 1 to talk to us, or 2 to leave a message."
DEFAULT_INVALID = "Sorry, that is not an option."
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_SECONDS = {"ring": (5, 120), "forward": (5, 120)}
_ZONES = frozenset(time_zones())


@dataclasses.dataclass
class Choice:
    """Where calls go: one of the kinds; `user_ids` for a ring, `to` for a forward."""

    key: str = ""  # a menu option's key ("" for the other places)
    kind: str = "voicemail"
    user_ids: list[int] = dataclasses.field(default_factory=list)
    seconds: str = "20"
    phone: str = ""
    error: str = ""


@dataclasses.dataclass
class Day:
    name: str = "mon"
    label: str = "Monday"
    is_open: bool = False
    start: str = "09:00"
    end: str = "17:00"  # "00:00": open until midnight
    error: str = ""


@dataclasses.dataclass
class Draft:
    hours_on: bool = False
    zone: str = "UTC"
    days: list[Day] = dataclasses.field(default_factory=list)
    closures: list[str] = dataclasses.field(default_factory=list)
    when_open: Choice = dataclasses.field(default_factory=Choice)
    when_closed: Choice = dataclasses.field(default_factory=Choice)
    greeting: str = DEFAULT_GREETING
    voice: str = DEFAULT_VOICE
    options: list[Choice] = dataclasses.field(default_factory=list)
    timeout: str = "6"
    attempts: str = "2"
    invalid_message: str = DEFAULT_INVALID
    fallback: Choice = dataclasses.field(default_factory=Choice)
    voicemail_greeting: str = DEFAULT_VOICEMAIL


def week(open_days=WEEKDAYS[:5], start="09:00", end="17:00") -> list[Day]:
    return [
        Day(name=d, label=label, is_open=d in open_days, start=start, end=end)
        for d, label in zip(WEEKDAYS, DAY_LABELS, strict=True)
    ]


def starter(user_id: int | None, zone: str) -> Draft:
    """A new routing: ring the user (None: nobody ticked yet), then voicemail; weekday
    hours and a two-key menu ready for when they are switched on."""
    rung = [user_id] if user_id else []
    return Draft(
        zone=zone,
        days=week(),
        when_open=Choice(kind="ring", user_ids=rung),
        options=[Choice(key="1", kind="ring", user_ids=list(rung)), Choice(key="2")],
    )


def _voice(draft: Draft, errors: dict[str, str]) -> dict:
    voice, _, language = draft.voice.partition("|")
    if draft.voice not in VOICE_CHOICES:
        errors["voice"] = "Pick one of the voices offered."
    return {"voice": voice, "language": language}


def _text(value: str, key: str, errors: dict[str, str], *, empty_ok: bool = False) -> str:
    text = value.strip()
    if not text and not empty_ok:
        errors[key] = "Write what callers hear."
    elif len(text) > TEXT:
        errors[key] = f"At most {TEXT} characters ({len(text)} now)."
    elif any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        errors[key] = "Only plain text, on one line."
    return text


def _number(value: str, low: int, high: int, what: str, key: str, errors) -> int:
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        errors[key] = f"{what} is a whole number from {low} to {high}."
        return low
    return int(text)


def _route(choice: Choice, key: str, draft: Draft, errors: dict[str, str], menu) -> list[dict]:
    """The steps of one choice: a ring or forward nobody takes goes to voicemail."""
    voicemail = {"type": "voicemail", "greeting": draft.voicemail_greeting.strip(),
                 "voice": _voice(draft, {})}  # fmt: skip
    if choice.kind in _SECONDS:
        low, high = _SECONDS[choice.kind]
        seconds = _number(choice.seconds, low, high, "Ring time", key, errors)
    if choice.kind == "ring":
        if not choice.user_ids:
            errors[key] = "Pick at least one member to ring."
        elif len(choice.user_ids) > 10:
            errors[key] = "Ring at most 10 members at once."
        return [{"type": "ring", "user_ids": list(choice.user_ids), "seconds": seconds}, voicemail]
    if choice.kind == "forward":
        to = choice.phone.strip()
        try:
            to = destinations.check_destination(to, field=key)
        except ServiceError as exc:
            errors[key] = exc.message if to else "Enter the number to forward to."
        return [{"type": "forward", "to": to or "none", "seconds": seconds}, voicemail]
    if choice.kind == "menu" and menu is not None:
        return [menu]
    if choice.kind == "hangup":
        return [{"type": "hangup"}]
    if choice.kind != "voicemail":
        errors[key] = "Pick what happens."
    return [voicemail]


def _menu(draft: Draft, errors: dict[str, str]) -> dict:
    keys = [o.key for o in draft.options]
    if not draft.options:
        errors["options"] = "Add at least one key."
    for index, option in enumerate(draft.options):
        if option.key not in MENU_KEYS:
            errors[f"option.{index}"] = "Pick a key from 0 to 9."
        elif keys.count(option.key) > 1:
            errors[f"option.{index}"] = f"Key {option.key} is used twice."
        elif option.kind not in KEY_KINDS:
            errors[f"option.{index}"] = "Pick what the key does."
    options = {
        o.key: _route(o, f"option.{i}", draft, errors, None) for i, o in enumerate(draft.options)
    }
    return {
        "type": "menu",
        "greeting": _text(draft.greeting, "greeting", errors),
        "voice": _voice(draft, errors),
        "options": options,
        "timeout_seconds": _number(draft.timeout, 2, 30, "Waiting time", "timeout", errors),
        "attempts": _number(draft.attempts, 1, 3, "Tries", "attempts", errors),
        "invalid_message": _text(draft.invalid_message, "invalid_message", errors, empty_ok=True),
        "fallback": _route(draft.fallback, "fallback", draft, errors, None),
    }


def _hours(draft: Draft, errors: dict[str, str]) -> dict:
    spans: dict[str, list[dict]] = {}
    for day in draft.days:
        if day.name not in WEEKDAYS or not day.is_open:
            continue
        end = "24:00" if day.end == "00:00" else day.end
        if not (_CLOCK.match(day.start) and (_CLOCK.match(day.end))):
            errors[f"day.{day.name}"] = "Enter the opening and closing times."
        elif day.start >= end:
            errors[f"day.{day.name}"] = "Opening must come before closing."
        spans[day.name] = [{"open": day.start, "close": end}]
    closures = []
    for raw in draft.closures[:MAX_CLOSURES]:
        try:
            closures.append(date.fromisoformat(raw).isoformat())
        except ValueError:
            errors["closures"] = f"{raw!r} isn't a date."
    return {"type": "hours", "zone": draft.zone, "week": spans, "closures": closures}


def to_document(draft: Draft, blocked: list | None = None) -> tuple[dict, dict[str, str]]:
    """The route document the draft stands for, and what is wrong with it by field ("" for
    none: then the document passes `RoutingDocument`'s checks)."""
    errors: dict[str, str] = {}
    _text(draft.voicemail_greeting, "voicemail_greeting", errors)
    _voice(draft, errors)
    tops = [draft.when_open] + ([draft.when_closed] if draft.hours_on else [])
    menu = _menu(draft, errors) if any(c.kind == "menu" for c in tops) else None
    when_open = _route(draft.when_open, "when_open", draft, errors, menu)
    route = when_open
    if draft.hours_on:
        hours = _hours(draft, errors)
        if draft.zone not in _ZONES:
            errors["zone"] = "Pick a time zone from the list."
        hours["open"] = when_open
        hours["closed"] = _route(draft.when_closed, "when_closed", draft, errors, menu)
        route = [hours]
    for top in tops:
        if top.kind not in TOP_KINDS:
            errors["when_open" if top is draft.when_open else "when_closed"] = "Pick one."
    return {"version": 1, "route": route, "blocked": list(blocked or [])}, errors
