"""What a routing may reach, checked on save against the database: the members it rings
belong to the number's workspace and may take its calls, every external number passes
the platform's destination rules (stored in E.164), and no forward leads back to the
number through our own numbers' routings (a loop). The same loop check runs again when a
call is forwarded, as other numbers' routings may have changed since."""

from __future__ import annotations

from pydantic import ValidationError as ShapeError
from sqlmodel import Session, col, select

from callplatform.calls import destinations
from callplatform.common.errors import ServiceError, ValidationError
from callplatform.common.phone_format import to_e164
from callplatform.models import (
    NumberAssignment,
    NumberRouting,
    NumberStatus,
    UserPhoneNumber,
    WorkspaceMember,
    WorkspaceRole,
)
from callplatform.routing.document import Forward, Ring, RoutingDocument, walk

MAX_DOCUMENT_BYTES = 64 * 1024
MAX_LOOP_NUMBERS = 50  # our numbers followed when looking for a loop


def parse(raw) -> RoutingDocument:
    """The document's shape, or a ValidationError naming the first problem."""
    if isinstance(raw, RoutingDocument):
        raw = raw.model_dump(mode="json")
    if not isinstance(raw, dict) or len(repr(raw)) > MAX_DOCUMENT_BYTES:
        raise ValidationError("Send the routing as one JSON object (at most 64 KB).")
    try:
        return RoutingDocument.model_validate(raw)
    except ShapeError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValidationError(f"{where}: {first['msg']}", field="routing") from None


def may_take_calls(*, session: Session, number: UserPhoneNumber) -> set[int]:
    """Members of the number's workspace it may ring: those assigned to it, and managers."""
    managers = session.exec(
        select(WorkspaceMember.user_id).where(
            WorkspaceMember.workspace_id == number.workspace_id,
            col(WorkspaceMember.role).in_([WorkspaceRole.OWNER, WorkspaceRole.ADMIN]),
        )
    ).all()
    assigned = session.exec(
        select(NumberAssignment.user_id)
        .join(WorkspaceMember, col(WorkspaceMember.user_id) == NumberAssignment.user_id)
        .where(
            NumberAssignment.number_id == number.id,
            WorkspaceMember.workspace_id == number.workspace_id,
        )
    ).all()
    return set(managers) | set(assigned)


def check(*, session: Session, number: UserPhoneNumber, raw) -> RoutingDocument:
    """The document as it will be stored (external numbers in E.164), or a
    ValidationError that says what is wrong."""
    document = parse(raw)
    allowed = may_take_calls(session=session, number=number)
    for step in walk(document.route):
        if isinstance(step, Ring) and not set(step.user_ids) <= allowed:
            raise ValidationError(
                "Only members assigned to this number (or the workspace's admins) can be rung.",
                field="routing",
            )
    data = document.model_dump(mode="json")
    _normalise(data["route"], number=number)
    for entry in data["blocked"]:
        entry["number"] = _e164(entry["number"])
    document = RoutingDocument.model_validate(data)
    looping = loop_through(session=session, start=number, document=document)
    if looping:
        raise ValidationError(
            f"Forwarding to {looping} would send calls back to this number (a loop).",
            field="routing",
        )
    return document


def _e164(raw: str) -> str:
    try:
        return to_e164(raw, field="routing")
    except ServiceError:
        return raw  # a caller ID that is no phone number (e.g. "anonymous") is kept as given


def _normalise(route: list[dict], *, number: UserPhoneNumber) -> None:
    """Forward targets to E.164 through the destination rules, in place."""
    for step in route:
        if step["type"] == "forward":
            step["to"] = destinations.check_destination(step["to"], field="routing")
            if step["to"] == number.phone_number:
                raise ValidationError("A number can't forward to itself.", field="routing")
        for key in ("open", "closed", "fallback"):
            if key in step:
                _normalise(step[key], number=number)
        for inner in step.get("options", {}).values():
            _normalise(inner, number=number)


def forward_targets(document: RoutingDocument) -> set[str]:
    return {step.to for step in walk(document.route) if isinstance(step, Forward)}


def loop_through(*, session: Session, start: UserPhoneNumber, document) -> str | None:
    """The forward target from which calls come back to `start` through our own numbers'
    routings, if any (followed breadth-first, up to MAX_LOOP_NUMBERS numbers)."""
    seen: set[str] = set()
    queue = [(target, target) for target in sorted(forward_targets(document))]
    while queue and len(seen) < MAX_LOOP_NUMBERS:
        first_hop, e164 = queue.pop(0)
        if e164 == start.phone_number:
            return first_hop
        if e164 in seen:
            continue
        seen.add(e164)
        routed = session.exec(
            select(NumberRouting.document)
            .join(UserPhoneNumber, col(UserPhoneNumber.id) == NumberRouting.number_id)
            .where(
                UserPhoneNumber.phone_number == e164,
                UserPhoneNumber.status == NumberStatus.ACTIVE,
            )
        ).first()
        if routed is None:
            continue
        try:
            onward = forward_targets(RoutingDocument.model_validate(routed))
        except ShapeError:
            continue
        queue += [(first_hop, target) for target in sorted(onward)]
    return None
