"""Finding contacts: the Contacts page's list and search, the export's pages, the
names that replace numbers in lists, and the one-click contact from a number."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from callplatform.common import phone_format, text_input
from callplatform.common.errors import ValidationError
from callplatform.contacts.directory import (
    ContactView,
    Phone,
    create_contact,
    owner_of,
    phones_of,
    view,
)
from callplatform.models import Contact, ContactNumber
from callplatform.workspaces.access import Member

PAGE = 200


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_contacts(
    *, session: Session, member: Member, search: str = "", limit: int = PAGE
) -> list[ContactView]:
    """The workspace's contacts by name; `search` matches a name or company (any case),
    or, given 3+ digits, the digits of a number."""
    needle = " ".join(text_input.check(search, field="search", max_length=100).split())
    query = select(Contact).where(Contact.workspace_id == member.workspace_id)
    if needle:
        digits = re.sub(r"\D", "", needle)
        matches = [
            col(Contact.name).ilike(_like(needle), escape="\\"),
            col(Contact.company).ilike(_like(needle), escape="\\"),
        ]
        if len(digits) >= 3:
            matches.append(
                col(Contact.id).in_(
                    select(ContactNumber.contact_id).where(
                        ContactNumber.workspace_id == member.workspace_id,
                        col(ContactNumber.number).like(_like(digits), escape="\\"),
                    )
                )
            )
        query = query.where(or_(*matches))
    return _read(session, member, query, limit)


def list_contacts_after(
    *, session: Session, member: Member, after: ContactView | None
) -> list[ContactView]:
    """The next PAGE contacts by name after `after` (keyset: the export reads them all)."""
    query = select(Contact).where(Contact.workspace_id == member.workspace_id)
    if after is not None:
        query = query.where(
            or_(
                col(Contact.name) > after.name,
                and_(col(Contact.name) == after.name, col(Contact.id) > after.id),
            )
        )
    return _read(session, member, query, PAGE)


def _read(session: Session, member: Member, query, limit: int) -> list[ContactView]:
    rows = session.exec(
        query.order_by(col(Contact.name), col(Contact.id)).limit(max(1, min(limit, PAGE)))
    ).all()
    phones = phones_of(session, [r.id for r in rows])
    return [view(session, member, r, phones[r.id]) for r in rows]


def names_for(*, session: Session, workspace_id: int, numbers: Iterable[str]) -> dict[str, str]:
    """{E.164: contact name} for those of `numbers` a contact of the workspace holds, in
    one query (for a page of calls or threads)."""
    wanted = sorted({n for n in numbers if n})
    if not wanted:
        return {}
    return dict(
        session.exec(
            select(ContactNumber.number, Contact.name)
            .join(Contact, col(Contact.id) == ContactNumber.contact_id)
            .where(
                ContactNumber.workspace_id == workspace_id, col(ContactNumber.number).in_(wanted)
            )
        ).all()
    )


def contact_for_number(*, session: Session, member: Member, number: str) -> ContactView | None:
    """The contact a number names in this workspace, if any."""
    try:
        e164 = phone_format.to_e164(number, field="number")
    except ValidationError:
        return None
    owner = owner_of(session, member.workspace_id, [e164]).get(e164)
    return view(session, member, owner) if owner else None


def add_number(
    *, session: Session, member: Member, number: str, name: str = "", company: str = ""
) -> ContactView:
    """One click from a call or a thread: the contact that number names, or a new one
    holding it (named `name`, or the number as shown until someone renames it)."""
    found = contact_for_number(session=session, member=member, number=number)
    if found is not None:
        return found
    e164 = phone_format.to_e164(number, field="number")
    return create_contact(
        session=session, member=member, name=name or phone_format.display(e164),
        company=company, phones=[Phone(e164)],
    )  # fmt: skip
