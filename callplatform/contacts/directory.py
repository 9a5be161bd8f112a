"""A workspace's contacts: what a contact may hold, adding, changing and removing one."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from callplatform.common import ids, phone_format, text_input
from callplatform.common.errors import NotFound, PermissionDenied, ValidationError
from callplatform.models import Contact, ContactNumber
from callplatform.models.base import utcnow
from callplatform.workspaces.access import Member

MAX_NUMBERS = 10
MAX_NOTES = 2000


@dataclasses.dataclass(frozen=True)
class Phone:
    number: str  # E.164
    label: str = ""


@dataclasses.dataclass(frozen=True)
class ContactView:
    id: int
    name: str
    company: str
    notes: str
    phones: list[Phone]
    created_by: int | None
    created_at: datetime
    updated_at: datetime
    may_delete: bool


def may_delete(member: Member, contact: Contact) -> bool:
    return member.manages or contact.created_by == member.user_id


def clean_name(value, *, field: str = "name") -> str:
    name = text_input.one_line(value, field=field, max_length=100)
    if not name:
        raise ValidationError("Enter a name.", field=field)
    return name


def clean_phones(raw: Iterable, *, field: str = "numbers") -> list[Phone]:
    """(number as typed, label) pairs as E.164 Phones, each number once."""
    out: dict[str, Phone] = {}
    for item in raw:
        number, label = (item.number, item.label) if isinstance(item, Phone) else item
        e164 = phone_format.to_e164(str(number or ""), field=field)
        label = text_input.one_line(label, field=field, max_length=32)
        out.setdefault(e164, Phone(e164, label))
    if len(out) > MAX_NUMBERS:
        raise ValidationError(f"A contact holds at most {MAX_NUMBERS} numbers.", field=field)
    return list(out.values())


def owner_of(session: Session, workspace_id: int, numbers: list[str]) -> dict[str, Contact]:
    if not numbers:
        return {}
    rows = session.exec(
        select(ContactNumber.number, Contact)
        .join(Contact, col(Contact.id) == ContactNumber.contact_id)
        .where(ContactNumber.workspace_id == workspace_id, col(ContactNumber.number).in_(numbers))
    ).all()
    return dict(rows)


def _check_free(session: Session, member: Member, phones: list[Phone], contact_id=None) -> None:
    taken = owner_of(session, member.workspace_id, [p.number for p in phones])
    for number, owner in taken.items():
        if owner.id != contact_id:
            shown = phone_format.display(number)
            raise ValidationError(f"{shown} is already {owner.name}'s number.", field="numbers")


def phones_of(session: Session, contact_ids: list[int]) -> dict[int, list[Phone]]:
    out: dict[int, list[Phone]] = {i: [] for i in contact_ids}
    if contact_ids:
        rows = session.exec(
            select(ContactNumber)
            .where(col(ContactNumber.contact_id).in_(contact_ids))
            .order_by(col(ContactNumber.id))
        )
        for row in rows:
            out[row.contact_id].append(Phone(row.number, row.label))
    return out


def view(session: Session, member: Member, contact: Contact, phones=None) -> ContactView:
    if phones is None:
        phones = phones_of(session, [contact.id])[contact.id]
    return ContactView(
        id=contact.id, name=contact.name, company=contact.company, notes=contact.notes,
        phones=phones, created_by=contact.created_by, created_at=contact.created_at,
        updated_at=contact.updated_at, may_delete=may_delete(member, contact),
    )  # fmt: skip


def _contact(session: Session, member: Member, contact_id) -> Contact:
    row = session.get(Contact, contact_id) if ids.is_id(contact_id) else None
    if row is None or row.workspace_id != member.workspace_id:
        raise NotFound("That contact isn't one of this workspace's.")
    return row


def _set_phones(session: Session, contact: Contact, phones: list[Phone]) -> None:
    session.exec(delete(ContactNumber).where(col(ContactNumber.contact_id) == contact.id))
    session.flush()
    for phone in phones:
        session.add(
            ContactNumber(
                contact_id=contact.id, workspace_id=contact.workspace_id,
                number=phone.number, label=phone.label,
            )
        )  # fmt: skip
    session.flush()


def create_contact(
    *, session: Session, member: Member, name, company="", notes="", phones: Iterable = ()
) -> ContactView:
    phones = clean_phones(phones)
    row = Contact(
        workspace_id=member.workspace_id,
        name=clean_name(name),
        company=text_input.one_line(company, field="company", max_length=100),
        notes=text_input.check(notes, field="notes", max_length=MAX_NOTES).strip(),
        created_by=member.user_id,
    )
    _check_free(session, member, phones)
    session.add(row)
    session.flush()
    _set_phones(session, row, phones)
    return view(session, member, row, phones)


def update_contact(
    *, session: Session, member: Member, contact_id, name=None, company=None, notes=None,
    phones: Iterable | None = None,
) -> ContactView:  # fmt: skip
    """Change what is given (None: keep); `phones` replaces all the contact's numbers."""
    row = _contact(session, member, contact_id)
    if name is not None:
        row.name = clean_name(name)
    if company is not None:
        row.company = text_input.one_line(company, field="company", max_length=100)
    if notes is not None:
        row.notes = text_input.check(notes, field="notes", max_length=MAX_NOTES).strip()
    row.updated_at = utcnow()
    session.add(row)
    if phones is not None:
        phones = clean_phones(phones)
        _check_free(session, member, phones, contact_id=row.id)
        _set_phones(session, row, phones)
    return view(session, member, row)


def delete_contact(*, session: Session, member: Member, contact_id) -> None:
    row = _contact(session, member, contact_id)
    if not may_delete(member, row):
        raise PermissionDenied("Only the workspace's admins, or who added it, can delete it.")
    session.exec(delete(ContactNumber).where(col(ContactNumber.contact_id) == row.id))
    session.delete(row)


def get_contact(*, session: Session, member: Member, contact_id) -> ContactView:
    return view(session, member, _contact(session, member, contact_id))
