"""Contacts to and from CSV (what phones, CRMs and spreadsheets export).

Import: the first line names the columns (a name, or first and last name; company;
phone columns, any header with "phone", "mobile", "cell", "tel" or "number" in it, the
rest of the header its label; notes). A cell may hold several numbers (";" or ","
between them (Google's ":::" too), a label in brackets after each: "+1 415 555 0100
(work)"). A bad row is
reported by its line and skipped, the good ones kept, duplicates merged (`importing`)."""

from __future__ import annotations

import csv
import dataclasses
import io
import re

from sqlmodel import Session

from callplatform.common.csv_cells import safe
from callplatform.common.errors import ValidationError
from callplatform.contacts import importing, lookup
from callplatform.contacts.importing import MAX_BYTES, MAX_ROWS, Entry, ImportResult
from callplatform.workspaces.access import Member

__all__ = ["MAX_BYTES", "MAX_ROWS", "ImportResult", "export_csv", "import_csv", "split_numbers"]
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
class _Columns:
    name: int | None = None
    first: int | None = None
    last: int | None = None
    company: int | None = None
    notes: int | None = None
    # (index, the header's label, the index of the column holding each row's label)
    phones: list[tuple[int, str, int | None]] = dataclasses.field(default_factory=list)


def _words(header: str) -> list[str]:
    return re.sub(r"[_\-.:]", " ", header).lower().split()


def _columns(header: list[str]) -> _Columns:
    """Which column holds what. Google's "Phone 1 - Value" takes its label from the row's
    "Phone 1 - Type"; Outlook's "Business Phone" is labelled "business"."""
    cols, phone_columns, label_columns = _Columns(), [], {}
    for i, raw in enumerate(header):
        words = _words(raw)
        word = " ".join(words)
        if words and words[0] in _COMPANY and "name" in words[1:]:
            word = "company"  # Google's "Organization 1 - Name"
        for attr, names in (
            ("name", _NAME), ("first", _FIRST), ("last", _LAST),
            ("company", _COMPANY), ("notes", _NOTES),
        ):  # fmt: skip
            if word in names and getattr(cols, attr) is None:
                setattr(cols, attr, i)
                break
        else:
            if not any(w in _PHONE_WORDS for w in words):
                continue
            if {"type", "label"} & set(words):
                key = tuple(w for w in words if w not in ("type", "label"))
                label_columns[key] = i
            else:
                phone_columns.append((i, words))
    for i, words in phone_columns:
        key = tuple(w for w in words if w != "value")
        label = " ".join(w for w in key if w not in _NOT_LABELS and not w.isdigit())
        cols.phones.append((i, label, label_columns.get(key)))
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
    for piece in re.split(r"[;,\n]|:::", text or ""):
        piece = piece.strip()
        if piece:
            labelled = _LABELLED.match(piece)
            found.append(labelled.groups() if labelled else (piece, label))
    return [(number, own[:32]) for number, own in found]


def _dialect(text: str):
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def import_csv(*, session: Session, member: Member, data: bytes | str) -> ImportResult:
    text = importing.decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    batch = importing.Batch(session, member)
    try:
        header = next(reader, None)
        if header is None:
            raise ValidationError("The file is empty.", field="file")
        cols = _columns(header)
        line = reader.line_num + 1
        for count, row in enumerate(reader, start=1):
            if count > MAX_ROWS:
                batch.result.skip(line, f"Only the first {MAX_ROWS} rows were imported.")
                break
            if any(cell.strip() for cell in row):
                batch.add(_entry(cols, row), line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ValidationError(
            f"Line {reader.line_num}: not valid CSV ({exc}).", field="file"
        ) from None
    return batch.finish()


def _entry(cols: _Columns, row: list[str]) -> Entry:
    name = _cell(row, cols.name) or " ".join(
        p for p in (_cell(row, cols.first), _cell(row, cols.last)) if p
    )
    phones = [
        pair
        for i, label, label_at in cols.phones
        for pair in split_numbers(_cell(row, i), _cell(row, label_at).lower() or label)
    ]
    return Entry(name, _cell(row, cols.company), _cell(row, cols.notes), phones)


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
