"""A number's routing as data: a route is a list of steps played in order; a menu, the
business hours and the block list branch into routes of their own. Only the shape is
checked here (types, ranges, sizes, voices); who and where a route may reach is checked
on save against the database (`validation`).

A step is addressed by its position: "2" is the root route's third step, "2.k1.0" the
first step of key 1 of the menu at "2", "1.open.0" / "1.closed.0" inside business hours,
"2.fb.0" a menu's fallback. Webhook URLs carry that address, not the step itself."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_DEPTH = 4  # routes inside routes: hours → menu → menu → steps
MAX_STEPS = 60  # every step of every route together
MAX_ROUTE_STEPS = 10
TEXT = 400  # what one Say may read out
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
KEYS = frozenset("0123456789*#")
# The voices <Say> takes, with the languages each speaks (Twilio's basic voices and a
# few Amazon Polly ones; Twilio's list is longer, these are the ones offered).
VOICES: dict[str, frozenset[str]] = {
    "man": frozenset({"en", "en-gb", "es", "fr", "de"}),
    "woman": frozenset({"en", "en-gb", "es", "fr", "de"}),
    "Polly.Joanna": frozenset({"en-US"}),
    "Polly.Matthew": frozenset({"en-US"}),
    "Polly.Amy": frozenset({"en-GB"}),
    "Polly.Brian": frozenset({"en-GB"}),
    "Polly.Lupe": frozenset({"es-US"}),
    "Polly.Lucia": frozenset({"es-ES"}),
    "Polly.Celine": frozenset({"fr-FR"}),
    "Polly.Vicki": frozenset({"de-DE"}),
    "Polly.Hans": frozenset({"de-DE"}),
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
DEFAULT_VOICEMAIL = "Please leave a message after the tone."


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _spoken(text: str) -> str:
    text = text.strip()
    if _CONTROL.search(text):
        raise ValueError("Text can't contain control characters.")
    return text


class Voice(_Strict):
    voice: str = "Polly.Joanna"
    language: str = "en-US"

    @model_validator(mode="after")
    def _supported(self) -> Voice:
        if self.voice not in VOICES:
            raise ValueError(f"Unknown voice {self.voice!r}.")
        if self.language not in VOICES[self.voice]:
            raise ValueError(f"{self.voice} doesn't speak {self.language!r}.")
        return self


class Ring(_Strict):
    type: Literal["ring"] = "ring"
    user_ids: list[int] = Field(min_length=1, max_length=10)
    order: Literal["together", "in_turn"] = "together"
    seconds: int = Field(default=20, ge=5, le=120)

    @field_validator("user_ids")
    @classmethod
    def _once_each(cls, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise ValueError("Each member can be rung once per step.")
        return value


class Forward(_Strict):
    type: Literal["forward"] = "forward"
    to: str = Field(min_length=3, max_length=32)
    caller_id: Literal["caller", "number"] = "caller"  # whose number the callee sees
    whisper: bool = True  # "Call for <number name>, press 1 to accept"
    seconds: int = Field(default=25, ge=5, le=120)


class Say(_Strict):
    type: Literal["say"] = "say"
    text: Annotated[str, Field(min_length=1, max_length=TEXT)]
    voice: Voice = Voice()

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str) -> str:
        return _spoken(value)


class Voicemail(_Strict):
    type: Literal["voicemail"] = "voicemail"
    greeting: Annotated[str, Field(min_length=1, max_length=TEXT)] = DEFAULT_VOICEMAIL
    voice: Voice = Voice()

    @field_validator("greeting")
    @classmethod
    def _clean(cls, value: str) -> str:
        return _spoken(value)


class Hangup(_Strict):
    type: Literal["hangup"] = "hangup"


class Menu(_Strict):
    type: Literal["menu"] = "menu"
    greeting: Annotated[str, Field(min_length=1, max_length=TEXT)]
    voice: Voice = Voice()
    options: dict[str, Route] = Field(min_length=1, max_length=12)
    timeout_seconds: int = Field(default=6, ge=2, le=30)
    attempts: int = Field(default=2, ge=1, le=3)  # tries before the fallback
    invalid_message: Annotated[str, Field(max_length=TEXT)] = "Sorry, that is not an option."
    fallback: Route = Field(default_factory=lambda: [Voicemail()])  # no (valid) key in time

    @field_validator("greeting", "invalid_message")
    @classmethod
    def _clean(cls, value: str) -> str:
        return _spoken(value)

    @field_validator("options")
    @classmethod
    def _keys(cls, value: dict) -> dict:
        if not set(value) <= KEYS:
            raise ValueError("Menu options are single keys: 0-9, * or #.")
        return value


class Span(_Strict):
    open: str
    close: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if not (_CLOCK.match(self.open) and _CLOCK.match(self.close)):
            raise ValueError("Times are HH:MM, 00:00 to 24:00.")
        if self.open >= self.close:
            raise ValueError("A day's opening must come before its closing.")
        return self


class Hours(_Strict):
    type: Literal["hours"] = "hours"
    zone: str
    week: dict[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], list[Span]]
    closures: list[date] = Field(default_factory=list, max_length=100)
    open: Route
    closed: Route

    @field_validator("zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"Unknown time zone {value!r}.") from exc
        return value

    @field_validator("week")
    @classmethod
    def _spans(cls, value: dict) -> dict:
        for spans in value.values():
            if len(spans) > 4:
                raise ValueError("At most four opening spans a day.")
            ordered = sorted(spans, key=lambda s: s.open)
            if any(a.close > b.open for a, b in zip(ordered, ordered[1:], strict=False)):
                raise ValueError("A day's opening spans can't overlap.")
        return value


Step = Annotated[
    Ring | Forward | Say | Voicemail | Hangup | Menu | Hours, Field(discriminator="type")
]
Route = Annotated[list[Step], Field(min_length=1, max_length=MAX_ROUTE_STEPS)]


class Blocked(_Strict):
    number: str = Field(min_length=3, max_length=32)
    action: Literal["reject", "voicemail"] = "reject"


class RoutingDocument(_Strict):
    version: Literal[1] = 1
    route: Route
    blocked: list[Blocked] = Field(default_factory=list, max_length=200)

    @model_validator(mode="after")
    def _size(self) -> RoutingDocument:
        depth, steps = measure(self.route)
        if depth > MAX_DEPTH:
            raise ValueError(f"Routes can nest at most {MAX_DEPTH} deep.")
        if steps > MAX_STEPS:
            raise ValueError(f"A routing can have at most {MAX_STEPS} steps.")
        return self


def branches(step) -> dict[str, list]:
    """The routes a step leads into, by their address token."""
    if isinstance(step, Menu):
        return {**{f"k{key}": route for key, route in step.options.items()}, "fb": step.fallback}
    if isinstance(step, Hours):
        return {"open": step.open, "closed": step.closed}
    return {}


def measure(route: list, depth: int = 1) -> tuple[int, int]:
    """(deepest nesting, number of steps) of a route and everything under it."""
    deepest, steps = depth, len(route)
    for step in route:
        for inner in branches(step).values():
            d, s = measure(inner, depth + 1)
            deepest, steps = max(deepest, d), steps + s
    return deepest, steps


def walk(route: list):
    """Every step of a route and of the routes under it."""
    for step in route:
        yield step
        for inner in branches(step).values():
            yield from walk(inner)


def step_at(document: RoutingDocument, address: str):
    """(route, index) of the step at `address`, or None when the document no longer has
    it (it was edited during the call)."""
    tokens = address.split(".") if address else []
    if len(tokens) % 2 == 0 or len(tokens) > 2 * MAX_DEPTH:
        return None
    route = document.route
    try:
        for index, branch in zip(tokens[0::2], tokens[1::2], strict=False):
            route = branches(route[int(index)])[branch]
        last = int(tokens[-1])
    except (ValueError, IndexError, KeyError):
        return None
    return (route, last) if 0 <= last < len(route) else None


def child(address: str, branch: str) -> str:
    """The first step of the route `branch` under the step at `address`."""
    return f"{address}.{branch}.0"


def following(address: str) -> str:
    """The step after `address` in the same route."""
    head, _, last = address.rpartition(".")
    return f"{head}.{int(last) + 1}" if head else str(int(last) + 1)


Menu.model_rebuild()
Hours.model_rebuild()
RoutingDocument.model_rebuild()
