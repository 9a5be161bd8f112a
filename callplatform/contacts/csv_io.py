"""Contacts to and from CSV (what phones, CRMs and spreadsheets export).

Import: the first line names the columns (a name, or first and last name; company;
phone columns, any header with "phone", "mobile", "cell", "tel" or "number" in it, the
rest of the header its label; notes). A cell may hold several numbers (";" or ","
between them, a label in brackets after each: "+1 415 555 0100 (work)"). A bad row is
reported by its line and skipped, the good ones kept; a row whose number a contact
already holds (or an earlier row) is merged into that contact. Capped at MAX_BYTES and
MAX_ROWS, so one upload can't hold the database for long."""

from __future__ import annotations

import csv
import dataclasses
import io
import re

from sqlmodel import Session

from callplatform.common.csv_cells import safe
from callplatform.common.errors import ServiceError, ValidationError
from callplatform.contacts import directory, lookup
from callplatform.contacts.directory import Phone
from callplatform.workspaces.access import Member

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
MAX_ERRORS_SHOWN = 50
HEADER = ["name", "company", "phones", "notes"]
_NAME = {"name", "full name", "display name", "contact", "contact name"}
_FIRST = {"first name", "given name", "first"}
_LAST = {"last name", "family name", "surname", "last"}
_COMPANY = {"company", "organization", "organisation", "org", "business"}
_NOTES = {"notes", "note", "comments", "comment", "description"}
_PHONE_WORDS = ("phone", "phones", "mobile", "cell", "tel", "telephone", "number", "numbers")
_NOT_LABELS = {"phone", "phones", "tel", "telephone", "number", "numbers"}
_LABELLED = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


@dataclasses.dataclass
class ImportResult:
    created: int = 0
    merged: int = 0
    errors: list[tuple[int, str]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class _Columns:
    name: int | None = None
    first: int | None = None
    last: int | None = None
    company: int | None = None
    notes: int | None = None
    phones: list[tuple[int, str]] = dataclasses.field(default_factory=list)  # (index, label)


def _columns(header: list[str]) -> _Columns:
    cols = _Columns()
    for i, raw in enumerate(header):
        word = " ".join(re.sub(r"[_\-.]", " ", raw).lower().split())
        for attr, names in (
            ("name", _NAME), ("first", _FIRST), ("last", _LAST),
            ("company", _COMPANY), ("notes", _NOTES),
        ):  # fmt: skip
            if word in names and getattr(cols, attr) is None:
                setattr(cols, attr, i)
                break
        else:
            if any(w in word.split() for w in _PHONE_WORDS):
                label = " ".join(w for w in word.split() if w not in _NOT_LABELS)
                cols.phones.append((i, label))
    if cols.name is None and cols.first is None and cols.last is None and not cols.phones:
        raise ValidationError(
            "The first line should name the columns: name, company, phone, notes.", field="file"
        )
    return cols


def _cell(row: list[str], index: int | None) -> str:
    text = row[index].strip() if index is not None and index < len(row) else ""
    # Our export's guard against formulas (common/csv_cells), read back.
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text


def split_numbers(text: str, label: str = "") -> list[tuple[str, str]]:
    """ "+1 415 555 0100 (work); 212 555 0188" -> [(number, label)], `label` for those
    without one of their own (one a line, or ";" or "," between them)."""
    found = []
    for piece in re.split(r"[;,\n]", text or ""):
        piece = piece.strip()
        if piece:
            labelled = _LABELLED.match(piece)
            found.append(labelled.groups() if labelled else (piece, label))
    return [(number, own[:32]) for number, own in found]


def _phones(row: list[str], cols: _Columns) -> list[Phone]:
    found = [
        pair for index, label in cols.phones for pair in split_numbers(_cell(row, index), label)
    ]
    return directory.clean_phones(found, field="phone")


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        raise ValidationError(f"Import at most {MAX_BYTES // 1_000_000} MB at once.", field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")  # what Excel on Windows saves


def _dialect(text: str):
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def import_csv(*, session: Session, member: Member, data: bytes | str) -> ImportResult:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    result = ImportResult()
    try:
        header = next(reader, None)
        if header is None:
            raise ValidationError("The file is empty.", field="file")
        cols = _columns(header)
        line = reader.line_num + 1
        for count, row in enumerate(reader, start=1):
            if count > MAX_ROWS:
                result.errors.append((line, f"Only the first {MAX_ROWS} rows were imported."))
                break
            if any(cell.strip() for cell in row):
                _import_row(session, member, cols, row, line, result)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ValidationError(
            f"Line {reader.line_num}: not valid CSV ({exc}).", field="file"
        ) from None
    return result


def _import_row(session, member, cols: _Columns, row, line: int, result: ImportResult) -> None:
    try:
        phones = _phones(row, cols)
        name = _cell(row, cols.name) or " ".join(
            p for p in (_cell(row, cols.first), _cell(row, cols.last)) if p
        )
        company, notes = _cell(row, cols.company), _cell(row, cols.notes)
        owners = {
            c.id: c
            for p in phones
            if (c := lookup.contact_for_number(session=session, member=member, number=p.number))
        }
        if len(owners) > 1:
            names = " and ".join(sorted(c.name for c in owners.values()))
            raise ValidationError(f"Its numbers belong to {names}; edit them by hand.")
        with session.begin_nested():  # a row that fails leaves nothing behind
            if owners:
                _merge(session, member, next(iter(owners.values())), phones, company, notes)
                result.merged += 1
            else:
                fallback = phones[0].number if phones else ""
                directory.create_contact(
                    session=session, member=member, name=name or fallback,
                    company=company, notes=notes, phones=phones,
                )  # fmt: skip
                result.created += 1
    except ServiceError as exc:
        if len(result.errors) < MAX_ERRORS_SHOWN:
            result.errors.append((line, exc.message))


def _merge(session, member, contact, phones: list[Phone], company: str, notes: str) -> None:
    """Fill in what the contact lacks: its empty company and notes, numbers it hasn't."""
    held = {p.number for p in contact.phones}
    directory.update_contact(
        session=session, member=member, contact_id=contact.id,
        company=None if contact.company else company,
        notes=None if contact.notes or not notes else notes,
        phones=None if held >= {p.number for p in phones}
        else [*contact.phones, *(p for p in phones if p.number not in held)],
    )  # fmt: skip


def export_csv(*, session: Session, member: Member) -> str:
    """Every contact of the workspace, in the columns import reads; text anyone typed is
    made safe from spreadsheets' formulas (common/csv_cells)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    last = None
    while True:
        page = lookup.list_contacts_after(session=session, member=member, after=last)
        for c in page:
            numbers = "; ".join(
                f"{p.number} ({p.label})" if p.label else p.number for p in c.phones
            )
            writer.writerow([safe(c.name), safe(c.company), safe(numbers), safe(c.notes)])
        if len(page) < lookup.PAGE:
            return out.getvalue()
        last = page[-1]
