"""What an import (CSV or vCard) does with the entries it read: a bad one is reported by
its line and skipped, the good ones kept; one whose number a contact already holds (or
an earlier entry) is merged into that contact. A file is capped at MAX_BYTES and
MAX_ROWS, so one upload can't hold the database for long.

Entries are checked as they are read (no database), then written together: one query
per 500 numbers finds their contacts, new contacts and numbers are inserted in batches.
5,000 new rows took 0.35-1.9 s on SQLite and 0.7-2.5 s on PostgreSQL (this machine, 2
cores at a load average of 13; the file imported again: 0.3-1.5 s and 0.7-1.1 s); row by
row, a savepoint and a handful of statements each, they took 17.5 s and 32 s, all of it
holding SQLite's one writer."""

from __future__ import annotations

import dataclasses

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from callplatform.common import text_input
from callplatform.common.errors import ServiceError, ValidationError
from callplatform.contacts import directory
from callplatform.contacts.directory import MAX_NOTES, MAX_NUMBERS, Phone
from callplatform.models import Contact, ContactNumber
from callplatform.models.base import utcnow
from callplatform.workspaces.access import Member

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
MAX_ERRORS_SHOWN = 50
_CHUNK = 500  # numbers per IN (...) list


@dataclasses.dataclass
class ImportResult:
    created: int = 0
    merged: int = 0
    errors: list[tuple[int, str]] = dataclasses.field(default_factory=list)

    def skip(self, line: int, message: str) -> None:
        self.errors.append((line, message))


@dataclasses.dataclass
class Entry:
    """One contact as a file gave it: numbers as written, with their labels."""

    name: str
    company: str
    notes: str
    numbers: list[tuple[str, str]]


@dataclasses.dataclass(eq=False)
class _Clean:
    """An entry checked, and (when no contact holds its numbers) a contact to insert."""

    line: int
    name: str
    company: str
    notes: str
    phones: list[Phone]


def decode(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        raise ValidationError(f"Import at most {MAX_BYTES // 1_000_000} MB at once.", field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")  # what Excel on Windows saves


class Batch:
    """The entries of one file: `add` each as it is read, then `finish` writes them."""

    def __init__(self, session: Session, member: Member):
        self.session, self.member, self.result = session, member, ImportResult()
        self._entries: list[_Clean] = []

    def add(self, entry: Entry, line: int) -> None:
        try:
            phones = directory.clean_phones(entry.numbers, field="phone")
            self._entries.append(
                _Clean(
                    line=line,
                    name=directory.clean_name(entry.name or (phones[0].number if phones else "")),
                    company=text_input.one_line(entry.company, field="company", max_length=100),
                    notes=text_input.check(
                        entry.notes, field="notes", max_length=MAX_NOTES
                    ).strip(),
                    phones=phones,
                )
            )
        except ServiceError as exc:
            self.result.skip(line, exc.message)

    def finish(self) -> ImportResult:
        owners, held = self._owners()
        fresh: list[_Clean] = []  # contacts this file makes
        for entry in self._entries:
            found = {id(c): c for p in entry.phones if (c := owners.get(p.number)) is not None}
            if len(found) > 1:
                names = " and ".join(sorted(c.name for c in found.values()))
                self.result.skip(entry.line, f"Its numbers belong to {names}; edit them by hand.")
            elif not found:
                fresh.append(entry)
                held[id(entry)] = [p.number for p in entry.phones]
                owners.update({p.number: entry for p in entry.phones})
                self.result.created += 1
            else:
                target = next(iter(found.values()))
                adding = [p for p in entry.phones if p.number not in owners]
                if len(held[id(target)]) + len(adding) > MAX_NUMBERS:
                    message = f"{target.name} would hold over {MAX_NUMBERS} numbers."
                    self.result.skip(entry.line, message)
                    continue
                self._merge(target, entry, adding)
                held[id(target)] += [p.number for p in adding]
                owners.update({p.number: target for p in adding})
                self.result.merged += 1
        self._write(fresh)
        self.result.errors = sorted(self.result.errors)[:MAX_ERRORS_SHOWN]
        return self.result

    def _owners(self) -> tuple[dict[str, Contact], dict[int, list[str]]]:
        """The workspace's contacts holding any of the file's numbers, and their numbers."""
        numbers = sorted({p.number for e in self._entries for p in e.phones})
        owners: dict[str, Contact] = {}
        for start in range(0, len(numbers), _CHUNK):
            owners |= directory.owner_of(
                self.session, self.member.workspace_id, numbers[start : start + _CHUNK]
            )
        held: dict[int, list[str]] = {}
        by_id = {c.id: c for c in owners.values()}
        ids = sorted(by_id)
        for start in range(0, len(ids), _CHUNK):
            rows = self.session.exec(
                select(ContactNumber.contact_id, ContactNumber.number).where(
                    col(ContactNumber.contact_id).in_(ids[start : start + _CHUNK])
                )
            )
            for contact_id, number in rows:
                held.setdefault(id(by_id[contact_id]), []).append(number)
                owners[number] = by_id[contact_id]
        return owners, held

    def _merge(self, target: Contact | _Clean, entry: _Clean, adding: list[Phone]) -> None:
        """Fill in what the contact lacks: its empty company and notes, numbers it hasn't
        (a file imported again changes nothing, and writes nothing)."""
        filled = (target.company or entry.company, target.notes or entry.notes)
        if filled == (target.company, target.notes) and not adding:
            return
        target.company, target.notes = filled
        if isinstance(target, _Clean):  # made by this file: its numbers are written with it
            target.phones.extend(adding)
            return
        target.updated_at = utcnow()
        self.session.add(target)
        self.session.add_all(
            ContactNumber(
                contact_id=target.id, workspace_id=target.workspace_id, number=p.number,
                label=p.label,
            )
            for p in adding
        )  # fmt: skip

    def _write(self, fresh: list[_Clean]) -> None:
        """The new contacts and their numbers, as two batched INSERTs (no ORM objects:
        building 10,000 of them took longer than writing them)."""
        if not fresh:
            return
        now, workspace_id = utcnow(), self.member.workspace_id
        try:
            ids = self.session.execute(
                insert(Contact).returning(Contact.id, sort_by_parameter_order=True),
                [
                    dict(
                        workspace_id=workspace_id, name=e.name, company=e.company,
                        notes=e.notes, created_by=self.member.user_id, created_at=now,
                        updated_at=now,
                    )
                    for e in fresh
                ],
            ).scalars().all()  # fmt: skip
            numbers = [
                dict(contact_id=i, workspace_id=workspace_id, number=p.number, label=p.label)
                for i, e in zip(ids, fresh, strict=True)
                for p in e.phones
            ]
            if numbers:
                self.session.execute(insert(ContactNumber), numbers)
        except IntegrityError:  # someone saved one of these numbers meanwhile
            raise ValidationError(
                "The contacts changed while importing: import the file again.", field="file"
            ) from None
