"""The editor's draft and the route document: every shape the form makes is a valid
document that reads back into the same form; a document the form can't show reads back
as none (it stays in the advanced view); midnight closing, closures and keys 0-9 survive
the round trip."""

from __future__ import annotations

import itertools

import pytest

from callplatform.pages.numbers.routing_editor.draft import (
    FALLBACK_KINDS,
    KEY_KINDS,
    TOP_KINDS,
    Choice,
    starter,
    to_document,
)
from callplatform.pages.numbers.routing_editor.reading import from_document
from callplatform.routing.document import RoutingDocument


def _choice(kind: str, key: str = "") -> Choice:
    return Choice(key=key, kind=kind, user_ids=[7], seconds="30", phone="(415) 555-0123")


def _clean(draft):
    """The draft without the errors `_apply` writes on it (none here)."""
    return to_document(draft)[0]


@pytest.mark.parametrize(
    ("open_kind", "closed_kind", "fallback"),
    list(itertools.product(TOP_KINDS, TOP_KINDS, FALLBACK_KINDS[:2])),
)
def test_every_shape_the_form_makes_reads_back(open_kind, closed_kind, fallback):
    draft = starter(7, "America/Chicago")
    draft.hours_on = True
    draft.when_open, draft.when_closed = _choice(open_kind), _choice(closed_kind)
    draft.fallback = _choice(fallback)
    draft.options = [_choice(KEY_KINDS[i % 3], key) for i, key in enumerate("0123456789")]
    draft.days[4].end = "00:00"  # Friday until midnight
    draft.closures = ["2026-12-24", "2026-12-25"]
    document, errors = to_document(draft)
    assert errors == {}
    checked = RoutingDocument.model_validate(document)
    assert checked.route[0].week["fri"][0].close == "24:00"
    back = from_document(checked, user_id=7, zone="UTC")
    assert back is not None and _clean(back) == _clean(draft)


def test_without_hours_the_route_is_the_choice_alone():
    draft = starter(7, "UTC")
    document, errors = to_document(draft)
    assert errors == {} and [s["type"] for s in document["route"]] == ["ring", "voicemail"]
    assert document["route"][0]["user_ids"] == [7]


@pytest.mark.parametrize(
    "route",
    [
        [{"type": "say", "text": "Hello"}, {"type": "voicemail"}],
        [{"type": "ring", "user_ids": [7], "order": "in_turn"}, {"type": "voicemail"}],
        [{"type": "forward", "to": "+14155550123", "whisper": False}, {"type": "voicemail"}],
        [{"type": "voicemail", "greeting": "A"}, {"type": "hangup"}],
    ],
)
def test_what_the_form_cant_show_has_no_draft(route):
    assert from_document(RoutingDocument.model_validate({"route": route}), user_id=7,
                         zone="UTC") is None  # fmt: skip


def test_errors_are_named_by_field():
    draft = starter(None, "Mars/Olympus")
    draft.hours_on = True
    draft.when_open = Choice(kind="menu")
    draft.options = [Choice(key="1", kind="forward"), Choice(key="1")]
    draft.closures = ["not a date"]
    draft.voice = "Polly.Nobody|en-US"
    draft.attempts = "4"
    _, errors = to_document(draft)
    assert errors == {
        "zone": "Pick a time zone from the list.",
        "option.0": "Enter the number to forward to.",
        "option.1": "Key 1 is used twice.",
        "closures": "'not a date' isn't a date.",
        "voice": "Pick one of the voices offered.",
        "attempts": "Tries is a whole number from 1 to 3.",
    }
