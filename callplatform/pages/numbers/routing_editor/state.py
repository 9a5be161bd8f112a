"""The routing editor's state: the number's routing as a form (`draft`), its summary in
words rebuilt on every edit, and saving through `routing.service` (which checks, again,
that the acting member may change this number's routing, and validates the whole
document). The edit handlers only touch this tab's draft (`edits` checks each argument);
whoever may read or save is asked of the database, in a worker thread, by `load` and the
saves, from the login: never from a var the client can set."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import json

import reflex as rx

from callplatform.common import ids
from callplatform.common.errors import ServiceError
from callplatform.pages.numbers.routing_editor import edits, store
from callplatform.pages.numbers.routing_editor.draft import Draft, to_document
from callplatform.routing import summary
from callplatform.routing.document import RoutingDocument
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member

MAX_JSON = 64 * 1024
_CHOICE_ERRORS = ("when_open", "when_closed", "fallback")


def _plain(value):
    """A var's value as plain Python (not Reflex's change-tracking proxy), to edit a copy."""
    return copy.deepcopy(getattr(value, "__wrapped__", value))


@dataclasses.dataclass
class MemberOption:
    id: int = 0
    name: str = ""


class RoutingEditorState(SessionState):
    number_id: int = 0
    number_label: str = ""
    load_error: str = ""
    may_edit: bool = False
    draft: Draft = Draft()
    members: list[MemberOption] = []
    summary: str = ""
    incomplete: bool = False  # the draft has errors: the summary is the last complete one
    errors: dict[str, str] = {}
    form_error: str = ""
    saving: bool = False
    saved: bool = False
    advanced: bool = False
    only_advanced: bool = False  # the stored routing has more than the form shows
    advanced_text: str = ""
    _names: dict[int, str] = {}
    _blocked: list[dict] = []
    _allowed: list[int] = []  # who the number may ring (the checkboxes are only a view)

    @rx.var
    def uses_menu(self) -> bool:
        draft = self.draft
        return draft.when_open.kind == "menu" or (
            draft.hours_on and draft.when_closed.kind == "menu"
        )

    def _show(self, loaded: store.Loaded) -> None:
        self.number_id, self.number_label, self.load_error = loaded.number_id, loaded.label, ""
        self.may_edit, self._names, self._blocked = loaded.may_edit, loaded.names, loaded.blocked
        self._allowed = list(loaded.allowed)
        self.members = [MemberOption(id=uid, name=loaded.names.get(uid, str(uid)))
                        for uid in loaded.allowed]  # fmt: skip
        self.only_advanced = loaded.draft is None
        self.advanced = self.only_advanced
        self.advanced_text = json.dumps(loaded.document, indent=2)
        self.form_error, self.saved = "", False
        self._apply(loaded.draft or loaded.fresh)
        self.summary = loaded.words

    def _apply(self, draft: Draft) -> None:
        """Take the edited draft; rebuild the summary and the errors next to fields."""
        document, errors = to_document(draft, _plain(self._blocked))
        for day in draft.days:
            day.error = errors.get(f"day.{day.name}", "")
        for index, option in enumerate(draft.options):
            option.error = errors.get(f"option.{index}", "")
        for name in _CHOICE_ERRORS:
            getattr(draft, name).error = errors.get(name, "")
        self.draft, self.errors, self.incomplete = draft, errors, bool(errors)
        self.saved = False
        if not errors:
            try:
                checked = RoutingDocument.model_validate(document)
            except ValueError:  # the draft's own checks should have caught it
                self.incomplete = True
                return
            self.summary = summary.describe(checked, self._names)

    def _edit(self, change, *args) -> None:
        draft = _plain(self.draft)
        if self.number_id and change(draft, *args):
            self._apply(draft)

    @rx.event
    async def load(self):
        self.number_id, self.load_error = 0, ""
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        number_id = ids.as_id(self.router.page.params.get("number_id", ""))
        try:
            loaded = await asyncio.to_thread(store.read, member, number_id, self.time_zone)
        except ServiceError as exc:
            self.load_error = exc.message
            return
        self._show(loaded)

    @rx.event
    def set_field(self, name: str, value):
        self._edit(edits.set_field, name, value)

    @rx.event
    def set_day(self, day: str, name: str, value):
        self._edit(edits.set_day, day, name, value)

    @rx.event
    def add_closure(self, form: dict):
        self._edit(edits.add_closure, form.get("closure") if isinstance(form, dict) else None)

    @rx.event
    def remove_closure(self, value: str):
        self._edit(edits.remove_closure, value)

    @rx.event
    def set_choice(self, slot, name: str, value):
        self._edit(edits.set_choice, slot, name, value)

    @rx.event
    def toggle_member(self, slot, user_id: int, on: bool):
        self._edit(edits.toggle_member, slot, user_id, on, set(self._allowed))

    @rx.event
    def add_option(self):
        self._edit(edits.add_option)

    @rx.event
    def remove_option(self, index: int):
        self._edit(edits.remove_option, index)

    @rx.event
    def show_advanced(self, on: bool):
        self.advanced = on is True

    @rx.event
    def set_advanced_text(self, value: str):
        self.advanced_text = str(value)[:MAX_JSON]

    async def _store(self, work, *args):
        """Run a save or clear in a worker thread (the button shows it pending), then
        show the number's routing as stored; an error is shown, and nothing is stored."""
        member = await acting_member(self)
        if member is None or not self.number_id:
            return
        self.saving, self.form_error = True, ""
        yield
        try:
            await asyncio.to_thread(work, member, self.number_id, *args)
            loaded = await asyncio.to_thread(store.read, member, self.number_id, self.time_zone)
        except ServiceError as exc:
            self.form_error = exc.message
            draft = _plain(self.draft)
            if edits.blame(draft, exc.message):
                self.draft = draft
            return
        finally:
            self.saving = False
        self._show(loaded)
        self.saved = True

    @rx.event
    async def save(self, _form: dict | None = None):
        document, errors = to_document(_plain(self.draft), _plain(self._blocked))
        if errors or not self.number_id:
            self.form_error = "Nothing was saved: fix the fields marked in red."
            self.errors = errors
            return
        async for update in self._store(store.save, document):
            yield update

    @rx.event
    async def save_advanced(self, _form: dict | None = None):
        try:
            document = json.loads(self.advanced_text)
        except ValueError as exc:
            self.form_error = f"That isn't valid JSON: {exc}"
            return
        async for update in self._store(store.save, document):
            yield update

    @rx.event
    async def use_default(self):
        async for update in self._store(store.clear):
            yield update
