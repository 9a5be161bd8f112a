"""The editor's reads and writes, each in one unit of work (run in a worker thread). The
routing service checks who may read and change the number's routing; a number the acting
member may not use raises NotFound here, before anything of it is read."""

from __future__ import annotations

import dataclasses

from callplatform.common.phone_format import display
from callplatform.db import read_scope, session_scope
from callplatform.pages.numbers.routing_editor.draft import Draft, starter, to_document
from callplatform.pages.numbers.routing_editor.reading import from_document
from callplatform.routing import service, validation
from callplatform.routing.document import Ring, walk
from callplatform.workspaces.access import Member, usable_number


@dataclasses.dataclass
class Loaded:
    number_id: int
    label: str  # "Sales · +1 (415) 555-0100"
    may_edit: bool
    document: dict  # as stored, or the default written out
    words: str  # the summary of what is stored
    draft: Draft | None  # None: the form can't show the stored routing
    fresh: Draft  # what the form starts from when it can't
    allowed: list[int]  # the members the number may ring, by name
    names: dict[int, str]
    blocked: list[dict]


def read(member: Member, number_id, zone: str) -> Loaded:
    with read_scope() as session:
        number = usable_number(session=session, member=member, number_id=number_id)
        stored = service.get_routing(session=session, member=member, number_id=number.id)
        words = service.describe_routing(session=session, member=member, number_id=number.id)
        allowed = validation.may_take_calls(session=session, number=number)
        rung = {uid for step in walk(stored.route) if isinstance(step, Ring)
                for uid in step.user_ids} if stored else set()  # fmt: skip
        names = service.member_names(session=session, user_ids=allowed | rung)
    fresh = starter(member.user_id if member.user_id in allowed else None, zone)
    pretty = display(number.phone_number)
    label = pretty if number.friendly_name in ("", pretty) else f"{number.friendly_name} · {pretty}"
    document = stored.model_dump(mode="json") if stored else to_document(fresh)[0]
    return Loaded(
        number_id=number.id,
        label=label,
        may_edit=member.manages,
        document=document,
        words=words,
        draft=from_document(stored, user_id=member.user_id, zone=zone) if stored else fresh,
        fresh=fresh,
        allowed=sorted(allowed, key=lambda uid: (names.get(uid, "").lower(), uid)),
        names=names,
        blocked=document.get("blocked", []),
    )


def save(member: Member, number_id: int, document: dict) -> None:
    with session_scope() as session:
        service.save_routing(session=session, member=member, number_id=number_id, document=document)


def clear(member: Member, number_id: int) -> None:
    with session_scope() as session:
        service.clear_routing(session=session, member=member, number_id=number_id)
