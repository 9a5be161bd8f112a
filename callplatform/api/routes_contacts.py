"""Contacts over the API: list and search, add, change, delete, import and export (CSV,
vCard).
The same services, and so the same rules, as the Contacts page; everything acts in the
workspace the credential acts in."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from callplatform.api import contacts_api
from callplatform.api.contacts_api import (
    ContactIn,
    ContactOut,
    ContactPatch,
    ImportRequest,
    ImportResult,
)
from callplatform.api.deps import current_member
from callplatform.api.errors import ERROR_RESPONSES
from callplatform.api.schemas import ErrorResponse, NoControl, PathId
from callplatform.contacts import directory, files, lookup
from callplatform.db import read_scope, session_scope
from callplatform.workspaces.access import Member

router = APIRouter(prefix="/api/contacts", tags=["contacts"], responses=ERROR_RESPONSES)
FILES = {
    200: {
        "content": {kind: {"schema": {"type": "string"}} for kind, _ in files.KINDS.values()},
        "description": "The file: CSV, or vCard 3.0.",
    }
}
FORBIDDEN = {403: {"model": ErrorResponse, "description": "Not an admin, nor who added it."}}


def _pairs(numbers) -> list[tuple[str, str]] | None:
    return None if numbers is None else [n.pair() for n in numbers]


@router.get("", response_model=list[ContactOut])
def list_contacts(
    q: Annotated[
        str, Query(max_length=100, description="Name, company or 3+ digits."), NoControl
    ] = "",
    member: Member = Depends(current_member),
) -> list[ContactOut]:
    """The workspace's contacts by name (at most 200; narrow them with `q`)."""
    with read_scope() as session:
        rows = lookup.list_contacts(session=session, member=member, search=q)
        return [contacts_api.contact(r) for r in rows]


@router.post("", status_code=201, response_model=ContactOut)
def create_contact(body: ContactIn, member: Member = Depends(current_member)) -> ContactOut:
    """Add a contact. A number names one contact per workspace: one already saved is 422."""
    with session_scope() as session:
        row = directory.create_contact(
            session=session, member=member, name=body.name, company=body.company,
            notes=body.notes, phones=_pairs(body.numbers),
        )  # fmt: skip
        return contacts_api.contact(row)


@router.get("/export", response_class=Response, responses=FILES)
def export_contacts(
    format: Literal["csv", "vcf"] = "csv", member: Member = Depends(current_member)
) -> Response:
    """Every contact as CSV (the columns import reads) or vCard 3.0."""
    with read_scope() as session:
        data = files.export(session=session, member=member, kind=format)
    media_type, filename = files.KINDS[format]
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/import", response_model=ImportResult)
def import_contacts(body: ImportRequest, member: Member = Depends(current_member)) -> ImportResult:
    """Add contacts from a CSV or vCard file's text: bad rows (cards) are reported by
    line and skipped, one whose number a contact already holds is merged into it."""
    with session_scope() as session:
        result = files.import_file(session=session, member=member, data=body.text)
    return ImportResult(
        created=result.created,
        merged=result.merged,
        errors=[{"line": line, "message": message} for line, message in result.errors],
    )


@router.get("/{contact_id}", response_model=ContactOut)
def get_contact(contact_id: PathId, member: Member = Depends(current_member)) -> ContactOut:
    with read_scope() as session:
        row = directory.get_contact(session=session, member=member, contact_id=contact_id)
        return contacts_api.contact(row)


@router.patch("/{contact_id}", response_model=ContactOut)
def update_contact(
    contact_id: PathId, body: ContactPatch, member: Member = Depends(current_member)
) -> ContactOut:
    with session_scope() as session:
        row = directory.update_contact(
            session=session, member=member, contact_id=contact_id, name=body.name,
            company=body.company, notes=body.notes, phones=_pairs(body.numbers),
        )  # fmt: skip
        return contacts_api.contact(row)


@router.delete("/{contact_id}", status_code=204, responses=FORBIDDEN)
def delete_contact(contact_id: PathId, member: Member = Depends(current_member)) -> Response:
    with session_scope() as session:
        directory.delete_contact(session=session, member=member, contact_id=contact_id)
    return Response(status_code=204)
