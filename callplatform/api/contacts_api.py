"""The API's shapes for contacts (the one place that decides what of a contact a
client sees), and what a client sends to make or change one."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from callplatform.api.schemas import Text
from callplatform.common import phone_format
from callplatform.contacts import importing
from callplatform.contacts.directory import MAX_NOTES, MAX_NUMBERS, ContactView


class ContactNumberIn(BaseModel):
    number: Text(40) = Field(description="In any common format; stored in E.164.")
    label: Text(32) = Field("", description="mobile, work, home...")

    def pair(self) -> tuple[str, str]:
        return self.number, self.label


class ContactIn(BaseModel):
    name: Text(100)
    company: Text(100) = ""
    notes: str = Field("", max_length=MAX_NOTES, description="Several lines allowed.")
    numbers: list[ContactNumberIn] = Field([], max_length=MAX_NUMBERS)


class ContactPatch(BaseModel):
    """What to change; a field left out is kept. `numbers` replaces all of them."""

    name: Text(100) | None = None
    company: Text(100) | None = None
    notes: str | None = Field(None, max_length=MAX_NOTES)
    numbers: list[ContactNumberIn] | None = Field(None, max_length=MAX_NUMBERS)


class ContactNumberOut(BaseModel):
    number: str = Field(description="E.164.")
    display: str
    label: str


class ContactOut(BaseModel):
    id: int
    name: str
    company: str
    notes: str
    numbers: list[ContactNumberOut]
    may_delete: bool = Field(description="An admin or owner of the workspace, or who added it.")
    created_at: datetime
    updated_at: datetime


class ImportRequest(BaseModel):
    text: str = Field(
        max_length=importing.MAX_BYTES,
        description="The file's text: a CSV whose first line names the columns (name, or "
        "first and last name; company; any phone columns: mobile, work phone...; notes), "
        "or vCards (.vcf: FN or N, ORG, TEL, NOTE).",
    )


class ImportRowError(BaseModel):
    line: int
    message: str


class ImportResult(BaseModel):
    created: int
    merged: int = Field(description="Rows whose number a contact held: added to it.")
    errors: list[ImportRowError] = Field(description="Rows skipped, by their line in the file.")


def contact(row: ContactView) -> ContactOut:
    return ContactOut(
        id=row.id, name=row.name, company=row.company, notes=row.notes,
        numbers=[
            ContactNumberOut(
                number=p.number, display=phone_format.display(p.number), label=p.label
            )
            for p in row.phones
        ],
        may_delete=row.may_delete, created_at=row.created_at, updated_at=row.updated_at,
    )  # fmt: skip
