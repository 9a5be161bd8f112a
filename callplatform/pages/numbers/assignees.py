"""What the Numbers page reads for its list: the numbers the acting member may use and,
for the admins and owners of a team (more than one member), whom each is assigned to. A
solo user, and a member who isn't an admin, are shown no assignments."""

from __future__ import annotations

from sqlmodel import col, select

from callplatform.db import read_scope
from callplatform.models import NumberAssignment
from callplatform.numbers import inventory
from callplatform.pages.numbers.views import NumberView
from callplatform.workspaces import team
from callplatform.workspaces.access import Member

NOBODY = "Nobody yet"


def numbers_of(member: Member) -> tuple[list[NumberView], bool]:
    """(the numbers, whether the viewer manages a team and so sees and changes who has
    each); run in a worker thread."""
    with read_scope() as session:
        rows = inventory.list_numbers(session=session, member=member)
        views = [NumberView.of(r) for r in rows]
        if not member.manages:
            return views, False
        people = team.list_members(session=session, member=member)
        if len(people) < 2:
            return views, False
        order = {p.user_id: i for i, p in enumerate(people)}  # owners, admins, then by name
        names = {p.user_id: p.name or p.email for p in people}
        held: dict[int, list[int]] = {}
        for number_id, user_id in session.exec(
            select(NumberAssignment.number_id, NumberAssignment.user_id).where(
                col(NumberAssignment.number_id).in_([v.id for v in views])
            )
        ):
            held.setdefault(number_id, []).append(user_id)
    for view in views:
        who = sorted((u for u in held.get(view.id, []) if u in names), key=order.__getitem__)
        view.assignees = ", ".join(names[u] for u in who) or NOBODY
    return views, True
