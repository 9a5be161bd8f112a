"""How the call log reads one filtered page: which index each filter set seeks, so that
every combination costs about a page at any depth, including filters matching nothing.

A page is read from "walks": ranges of one index, newest first, each an equality prefix
ending in (started_at, id), with the dates and the cursor as bounds on started_at. When
a filter leaves out a leading column of few values (direction, status), the page reads
one walk per value and merges them (each walk stops after a page). Two kinds of walks:
- the filters' own (number, direction, status or missed; models' IX_* indexes), exact
  for those filters, the digit search checked on each row;
- the digit search's: the calls from or to each party whose number holds the digits
  (history/digit_search.py), exact for the search, the other filters checked on each row.
With both, the search's are walked unless they hold COUNT_CAP calls past the cursor and
the filters' own hold fewer (counts that stop at COUNT_CAP, read from the indexes).

A statement is built once per shape (which columns each walk and check compares, which
bounds apply) and run with the values as parameters: building a merge of 18 walks anew
for each page cost more than the database's work (measured in bench_call_log.py)."""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field

from sqlalchemy import Integer, bindparam, false, func, literal, true, tuple_, union, union_all
from sqlmodel import Session, col, select

from callplatform.history import digit_search
from callplatform.models import CallDirection, CallStatus, TwilioCall

MISSED = "missed"
# Direction and status hold only these values (the webhook takes no other status), so a
# walk per value covers every call.
DIRECTION_VALUES = tuple(d.value for d in CallDirection)
STATUS_VALUES = tuple(s.value for s in CallStatus)
COUNT_CAP = 500  # a walk this long costs about a millisecond: no need to look further


@dataclass(frozen=True)
class Walks:
    """Walks of one shape: per walk, the columns it seeks by equality ("missed": the
    partial indexes' predicate); the checks made on each row; the bounds that apply.
    The values are `params`, outside the shape."""

    arms: tuple[tuple[str, ...], ...]
    checks: tuple[str, ...] = ()
    bounds: tuple[str, ...] = ()
    params: dict = field(default_factory=dict, compare=False, hash=False)
    # A member who isn't an admin: each row must be one of their numbers' calls or one
    # they handled (`visibility`), checked on every walk's rows.
    members_share: bool = False

    def only_arms(self) -> Walks:
        return Walks(self.arms, (), self.bounds, self.params, self.members_share)


def _walks(arms: list[dict], checks: dict, bounds: dict, member=None) -> Walks:
    params = {f"a{i}_{name}": value for i, arm in enumerate(arms) for name, value in arm.items()}
    params |= {f"c_{name}": value for name, value in checks.items()}
    share = member is not None and not member.manages
    if share:
        params |= {"v_numbers": sorted(member.number_ids), "v_user": member.user_id}
    return Walks(
        arms=tuple(tuple(arm) for arm in arms),
        checks=tuple(checks),
        bounds=tuple(bounds),
        params=params | bounds,
        members_share=share,
    )


def _facet_arms(f) -> list[dict]:
    """Equalities per walk of the filters' own indexes."""
    if f.number_id is None and not f.direction and not f.status:
        return [{}]  # ix_twilio_calls_workspace_started
    number = {} if f.number_id is None else {"number_id": f.number_id}
    directions = [f.direction] if f.direction else DIRECTION_VALUES
    if f.status == MISSED:
        return [{**number, "direction": d, "missed": True} for d in directions]
    statuses = [f.status] if f.status else STATUS_VALUES
    return [
        {**number, "direction": d, "status": s} for d, s in itertools.product(directions, statuses)
    ]


def _facet_checks(f) -> dict:
    checks = {} if f.number_id is None else {"number_id": f.number_id}
    if f.direction:
        checks["direction"] = f.direction
    if f.status:
        checks["missed" if f.status == MISSED else "status"] = f.status
    return checks


def _bounds(f, after) -> dict:
    bounds = {"since": f.since, "until": f.until}
    if after is not None:
        bounds["after_started"], bounds["after_id"] = after
    return {name: value for name, value in bounds.items() if value is not None}


def _count(session: Session, walks: Walks) -> int:
    return session.exec(_count_statement(walks), params=walks.params).one()


def choose(session: Session, member, f, after) -> Walks | None:
    """The walks that read this filter set's page of the calls the member sees; None
    when nothing can match."""
    bounds = _bounds(f, after) | {"workspace_id": member.workspace_id}
    if not f.digits:
        return _walks(_facet_arms(f), {}, bounds, member)
    parties = digit_search.matching_parties(
        session=session, workspace_id=member.workspace_id, digits=f.digits
    )
    if parties == []:
        return None  # no number of theirs holds these digits
    by_facets = _walks(_facet_arms(f), {"search": f"%{f.digits}%"}, bounds, member)
    if parties is None:  # too many parties to walk each: the digits are common
        return by_facets
    arms = [{"from_number": p} for p in parties] + [{"to_number": p} for p in parties]
    by_parties = _walks(arms, _facet_checks(f), bounds, member)
    if not by_parties.checks or _count(session, by_parties.only_arms()) < COUNT_CAP:
        return by_parties
    if _count(session, by_facets.only_arms()) < COUNT_CAP:
        return by_facets
    return by_parties


def page_query(walks: Walks):
    """The page's statement: run it with `walks.params | {"limit": page size}`."""
    return _page_statement(walks)


# Statements per shape ------------------------------------------------------------------

_NEWEST = (col(TwilioCall.started_at).desc(), col(TwilioCall.id).desc())
_LIMIT = bindparam("limit", type_=Integer, literal_execute=True)  # planned knowing the page size


def _param(name: str, column: str):
    """A parameter typed as the column it is compared with (dates as stored)."""
    return bindparam(name, type_=TwilioCall.__table__.c[column].type)


def _where(walks: Walks, arm_index: int) -> list:
    conditions = [TwilioCall.workspace_id == _param("workspace_id", "workspace_id")]
    if walks.members_share:
        numbers = bindparam(
            "v_numbers", expanding=True, type_=TwilioCall.__table__.c.number_id.type
        )
        conditions.append(
            col(TwilioCall.number_id).in_(numbers)
            | (TwilioCall.handled_by == _param("v_user", "handled_by"))
        )
    for name in walks.arms[arm_index]:
        column = getattr(TwilioCall, name)
        value = true() if name == "missed" else _param(f"a{arm_index}_{name}", name)
        conditions.append(column == value)  # missed: a literal, as the partial index says
    for name in walks.checks:
        conditions.append(_check(name))
    if "since" in walks.bounds:
        conditions.append(TwilioCall.started_at >= _param("since", "started_at"))
    if "until" in walks.bounds:
        conditions.append(TwilioCall.started_at < _param("until", "started_at"))
    if "after_started" in walks.bounds:
        after = tuple_(_param("after_started", "started_at"), _param("after_id", "id"))
        conditions.append(tuple_(TwilioCall.started_at, TwilioCall.id) < after)
    return conditions


def _check(name: str):
    """A filter checked on each row of another index's walk. Wrapped in coalesce (a
    no-op: these columns hold no NULL a filter asks for) so that no planner walks the
    filter's own index instead of the one chosen."""
    value = _param(f"c_{name}", "from_number" if name == "search" else name)
    if name == "search":
        return col(TwilioCall.from_number).like(value) | col(TwilioCall.to_number).like(value)
    if name == "missed":
        return func.coalesce(TwilioCall.missed, false()) == true()
    if name == "number_id":
        return func.coalesce(TwilioCall.number_id, 0) == value
    return func.coalesce(getattr(TwilioCall, name), "") == value


@functools.lru_cache(maxsize=512)
def _page_statement(walks: Walks):
    if len(walks.arms) == 1:
        return select(TwilioCall).where(*_where(walks, 0)).order_by(*_NEWEST).limit(_LIMIT)
    arms = [
        select(TwilioCall.id, TwilioCall.started_at)
        .where(*_where(walks, i))
        .order_by(*_NEWEST)
        .limit(_LIMIT)
        .subquery()
        for i in range(len(walks.arms))
    ]
    # UNION, not UNION ALL: a call from one matching party to another is in two walks.
    merged = union(*[select(arm.c.id, arm.c.started_at) for arm in arms]).subquery()
    picked = (
        select(merged.c.id)
        .order_by(merged.c.started_at.desc(), merged.c.id.desc())
        .limit(_LIMIT)
        .subquery()
    )
    return select(TwilioCall).join(picked, picked.c.id == TwilioCall.id).order_by(*_NEWEST)


@functools.lru_cache(maxsize=512)
def _count_statement(walks: Walks):
    """How many calls the walks hold past the cursor, stopping at COUNT_CAP."""
    arms = [
        select(literal(1).label("one")).where(*_where(walks, i)).limit(COUNT_CAP).subquery()
        for i in range(len(walks.arms))
    ]
    counted = union_all(*[select(arm.c.one) for arm in arms]).limit(COUNT_CAP).subquery()
    return select(func.count()).select_from(counted)
