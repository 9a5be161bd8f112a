"""What an import (CSV or vCard) does with each entry it read: a bad one is reported by
its line and skipped, the good ones kept; one whose number a contact already holds (or
an earlier entry) is merged into that contact. A file is capped at MAX_BYTES and
MAX_ROWS, so one upload can't hold the database for long."""

from __future__ import annotations

import dataclasses

from sqlmodel import Session

from callplatform.common.errors import ServiceError, ValidationError
from callplatform.contacts import directory, lookup
from callplatform.contacts.directory import ContactView, Phone
from callplatform.workspaces.access import Member

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
MAX_ERRORS_SHOWN = 50


@dataclasses.dataclass
class ImportResult:
    created: int = 0
    merged: int = 0
    errors: list[tuple[int, str]] = dataclasses.field(default_factory=list)

    def skip(self, line: int, message: str) -> None:
        if len(self.errors) < MAX_ERRORS_SHOWN:
            self.errors.append((line, message))


@dataclasses.dataclass
class Entry:
    """One contact as a file gave it: numbers as written, with their labels."""

    name: str
    company: str
    notes: str
    numbers: list[tuple[str, str]]


def decode(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        raise ValidationError(f"Import at most {MAX_BYTES // 1_000_000} MB at once.", field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")  # what Excel on Windows saves


def add(session: Session, member: Member, entry: Entry, line: int, result: ImportResult) -> None:
    try:
        phones = directory.clean_phones(entry.numbers, field="phone")
        owners = {
            c.id: c
            for p in phones
            if (c := lookup.contact_for_number(session=session, member=member, number=p.number))
        }
        if len(owners) > 1:
            names = " and ".join(sorted(c.name for c in owners.values()))
            raise ValidationError(f"Its numbers belong to {names}; edit them by hand.")
        with session.begin_nested():  # an entry that fails leaves nothing behind
            if owners:
                _merge(session, member, next(iter(owners.values())), phones, entry)
                result.merged += 1
            else:
                directory.create_contact(
                    session=session, member=member,
                    name=entry.name or (phones[0].number if phones else ""),
                    company=entry.company, notes=entry.notes, phones=phones,
                )  # fmt: skip
                result.created += 1
    except ServiceError as exc:
        result.skip(line, exc.message)


def _merge(session, member, contact: ContactView, phones: list[Phone], entry: Entry) -> None:
    """Fill in what the contact lacks: its empty company and notes, numbers it hasn't."""
    held = {p.number for p in contact.phones}
    directory.update_contact(
        session=session, member=member, contact_id=contact.id,
        company=None if contact.company else entry.company,
        notes=None if contact.notes or not entry.notes else entry.notes,
        phones=None if held >= {p.number for p in phones}
        else [*contact.phones, *(p for p in phones if p.number not in held)],
    )  # fmt: skip
