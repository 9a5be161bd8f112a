"""State of the Contacts page: the list and its search, the add/edit form, the delete
confirmation, import (an upload: CSV or vCard) and export (a download). Every handler resolves
the acting member on the server and lets the services decide; work runs in a thread."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from callplatform.common import phone_format
from callplatform.common.errors import ServiceError
from callplatform.contacts import csv_io, directory, files, lookup
from callplatform.db import in_read_session, in_session
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member


@dataclasses.dataclass
class ContactRow:
    id: int = 0
    name: str = ""
    company: str = ""
    notes: str = ""
    numbers: str = ""  # as shown: "+1 (415) 555-0100 (mobile) · ..."
    may_delete: bool = False

    @classmethod
    def of(cls, c: directory.ContactView) -> ContactRow:
        shown = [
            phone_format.display(p.number) + (f" ({p.label})" if p.label else "") for p in c.phones
        ]
        return cls(c.id, c.name, c.company, c.notes, " · ".join(shown), c.may_delete)


def _form_numbers(c: directory.ContactView) -> str:
    """The numbers as the form edits them: one a line, a label in brackets."""
    return "\n".join(f"{p.number} ({p.label})" if p.label else p.number for p in c.phones)


class ContactsState(SessionState):
    rows: list[ContactRow] = []
    search: str = ""
    error: str = ""
    editing: bool = False
    edit_id: int = 0  # 0: a new contact
    form_name: str = ""
    form_company: str = ""
    form_numbers: str = ""
    form_notes: str = ""
    form_error: str = ""
    delete_id: int = 0
    delete_name: str = ""
    import_summary: str = ""
    import_errors: list[str] = []

    async def _read(self, member) -> None:
        try:
            found = await asyncio.to_thread(
                in_read_session, lookup.list_contacts, member=member, search=self.search
            )
        except ServiceError as exc:
            self.rows, self.error = [], exc.message
            return
        self.rows, self.error = [ContactRow.of(c) for c in found], ""

    @rx.event
    async def load(self):
        """The list; `?q=` searches it, `?add=<number>` opens the form on that number
        (a call's "Add to contacts")."""
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        params = self.router.page.params
        self.search = str(params.get("q", "") or "")[:100]
        await self._read(member)
        number = str(params.get("add", "") or "")[:40]
        if number:
            self._open_form(0, "", "", number, "")
            found = await asyncio.to_thread(
                in_read_session, lookup.contact_for_number, member=member, number=number
            )
            if found is not None:  # already a contact: edit it instead
                self._open_form(
                    found.id, found.name, found.company, _form_numbers(found), found.notes
                )

    @rx.event
    async def set_search(self, value: str):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        self.search = str(value)[:100]
        await self._read(member)

    def _open_form(self, contact_id: int, name, company, numbers, notes) -> None:
        self.editing, self.edit_id, self.form_error = True, contact_id, ""
        self.form_name, self.form_company = name, company
        self.form_numbers, self.form_notes = numbers, notes

    @rx.event
    def start_add(self):
        self._open_form(0, "", "", "", "")

    async def _fetch(self, contact_id):
        """(the contact, None), or (None, what to answer): the bounce or a toast."""
        member = await acting_member(self)
        if member is None:
            return None, self._bounce()
        try:
            c = await asyncio.to_thread(
                in_read_session, directory.get_contact, member=member, contact_id=contact_id
            )
        except ServiceError as exc:
            return None, rx.toast.error(exc.message)
        return c, None

    @rx.event
    async def start_edit(self, contact_id: int):
        c, answer = await self._fetch(contact_id)
        if c is None:
            return answer
        self._open_form(c.id, c.name, c.company, _form_numbers(c), c.notes)

    @rx.event
    def cancel_edit(self):
        self.editing, self.edit_id, self.form_error = False, 0, ""

    @rx.event
    async def save(self, form: dict):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        form = form if isinstance(form, dict) else {}
        fields = {k: str(form.get(k, "") or "") for k in ("name", "company", "notes", "numbers")}
        self.form_name, self.form_company = fields["name"][:100], fields["company"][:100]
        self.form_notes, self.form_numbers = fields["notes"][:2000], fields["numbers"][:1000]
        given = {
            "name": fields["name"],
            "company": fields["company"],
            "notes": fields["notes"],
            "phones": csv_io.split_numbers(fields["numbers"]),
        }
        try:
            if self.edit_id:
                await asyncio.to_thread(
                    in_session, directory.update_contact, member=member,
                    contact_id=self.edit_id, **given,
                )  # fmt: skip
            else:
                await asyncio.to_thread(
                    in_session, directory.create_contact, member=member, **given
                )
        except ServiceError as exc:
            self.form_error = exc.message
            return None
        self.editing, self.edit_id, self.form_error = False, 0, ""
        await self._read(member)
        return rx.toast.success("Contact saved.")

    @rx.event
    async def ask_delete(self, contact_id: int):
        c, answer = await self._fetch(contact_id)
        if c is None:
            return answer
        self.delete_id, self.delete_name = c.id, c.name

    @rx.event
    def cancel_delete(self):
        self.delete_id, self.delete_name = 0, ""

    @rx.event
    async def confirm_delete(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        contact_id, self.delete_id, self.delete_name = self.delete_id, 0, ""
        try:
            await asyncio.to_thread(
                in_session, directory.delete_contact, member=member, contact_id=contact_id
            )
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._read(member)
        return None

    @rx.event
    async def import_file(self, uploads: list[rx.UploadFile]):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        upload = uploads[0] if isinstance(uploads, list) and uploads else None
        if not hasattr(upload, "read"):  # no file was chosen
            return None
        data = await upload.read(csv_io.MAX_BYTES + 1)  # one byte past: refused as too big
        try:
            result = await asyncio.to_thread(
                in_session, files.import_file, member=member, data=data
            )
        except ServiceError as exc:
            self.import_summary, self.import_errors = exc.message, []
            return None
        self.import_summary = (
            f"{result.created} added, {result.merged} merged into contacts with the same number"
            + (f", {len(result.errors)} skipped:" if result.errors else ".")
        )
        self.import_errors = [f"Line {line}: {message}" for line, message in result.errors]
        await self._read(member)
        return None

    async def _export(self, kind: str):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        data = await asyncio.to_thread(in_read_session, files.export, member=member, kind=kind)
        return rx.download(data=data, filename=files.KINDS[kind][1])

    @rx.event
    async def export_csv(self):
        return await self._export("csv")

    @rx.event
    async def export_vcard(self):
        return await self._export("vcf")
