"""Contacts files, whichever kind: an import reads a vCard or a CSV by what the file
holds (not its name), an export writes the kind asked for."""

from __future__ import annotations

from sqlmodel import Session

from callplatform.contacts import csv_io, importing, vcard
from callplatform.contacts.importing import ImportResult
from callplatform.workspaces.access import Member

KINDS = {"csv": ("text/csv", "contacts.csv"), "vcf": ("text/vcard", "contacts.vcf")}


def import_file(*, session: Session, member: Member, data: bytes | str) -> ImportResult:
    text = importing.decode(data)
    read = vcard.import_vcard if vcard.looks_like_vcard(text) else csv_io.import_csv
    return read(session=session, member=member, data=text)


def export(*, session: Session, member: Member, kind: str = "csv") -> str:
    write = vcard.export_vcard if kind == "vcf" else csv_io.export_csv
    return write(session=session, member=member)
