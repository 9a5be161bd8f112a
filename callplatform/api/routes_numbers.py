"""The user's phone numbers over the API: list, search, buy (idempotent), update,
release. The same services, and so the same rules, as the Numbers page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from callplatform.api import idempotent, views
from callplatform.api.deps import current_member, current_user
from callplatform.api.errors import ERROR_RESPONSES
from callplatform.api.idempotent import IdempotencyKey
from callplatform.api.schemas import (
    AvailableNumber,
    BuyNumberRequest,
    ErrorResponse,
    NoControl,
    NumberAssignment,
    NumberMembers,
    PathId,
    PhoneNumber,
    UpdateNumberRequest,
)
from callplatform.common import phone_format
from callplatform.common.errors import ValidationError
from callplatform.db import read_scope, session_scope
from callplatform.models import User
from callplatform.numbers import inventory
from callplatform.workspaces import assignments
from callplatform.workspaces.access import Member

router = APIRouter(prefix="/api/twilio", tags=["numbers"], responses=ERROR_RESPONSES)
AREA_CODE = "Three digits, like 415."
CONTAINS = "Digits (and * for any digit)."


@router.get("/my-numbers", response_model=list[PhoneNumber])
def my_numbers(member: Member = Depends(current_member)) -> list[PhoneNumber]:
    """The workspace's active numbers you may use (an admin or owner: all), newest first."""
    with read_scope() as session:
        return [views.number(r) for r in inventory.list_numbers(session=session, member=member)]


@router.get("/numbers/available", response_model=list[AvailableNumber])
def available_numbers(
    area_code: Annotated[str, Query(max_length=3, description=AREA_CODE), NoControl] = "",
    contains: Annotated[str, Query(max_length=10, description=CONTAINS), NoControl] = "",
    country: Annotated[str, Query(max_length=2, description="US or CA."), NoControl] = "US",
    toll_free: bool = False,
    user: User = Depends(current_user),
) -> list[AvailableNumber]:
    """Numbers you can buy, with their monthly price on the Numbers page."""
    found = inventory.search_numbers(
        area_code=area_code, contains=contains, country=country, toll_free=toll_free
    )
    return [views.available(item) for item in found]


@router.post(
    "/numbers",
    status_code=201,
    response_model=PhoneNumber,
    responses={409: {"model": ErrorResponse, "description": "Same key, still running."}},
)
def buy_number(
    body: BuyNumberRequest,
    idempotency_key: IdempotencyKey,
    member: Member = Depends(current_member),
) -> Response:
    """Buy a number into your workspace (its admins and owners). No confirmation step:
    send an `Idempotency-Key`, and a retry with the same key returns the first answer
    instead of buying twice."""

    def buy(session) -> dict:
        row = _owned_already(session, member, body.phone_number) or inventory.buy_number(
            session=session,
            member=member,
            phone_number=body.phone_number,
            friendly_name=body.friendly_name,
        )
        return views.number(row).model_dump(mode="json")

    return idempotent.run_once(
        owner_id=member.user_id, key=idempotency_key, request=body.model_dump(), work=buy
    )


def _owned_already(session, member: Member, phone_number: str):
    """A purchase a crash cut off, retried after its key expired: it is already ours."""
    try:
        e164 = phone_format.to_e164(phone_number)
    except ValidationError:
        return None
    mine = inventory.list_numbers(session=session, member=member)
    return next((row for row in mine if row.phone_number == e164), None)


@router.patch("/numbers/{number_id}", response_model=PhoneNumber)
def update_number(
    number_id: PathId, body: UpdateNumberRequest, member: Member = Depends(current_member)
) -> PhoneNumber:
    """Rename a number, or turn call recording on or off."""
    if body.friendly_name is None and body.record_calls is None:
        raise ValidationError("Send friendly_name, record_calls, or both.")
    with session_scope() as session:
        row = inventory.get_number(session=session, member=member, number_id=number_id)
        if body.friendly_name is not None:  # first: only this one can fail at Twilio
            row = inventory.rename_number(
                session=session,
                member=member,
                number_id=number_id,
                friendly_name=body.friendly_name,
            )
        if body.record_calls is not None:
            row = inventory.set_call_recording(
                session=session, member=member, number_id=number_id, enabled=body.record_calls
            )
        return views.number(row)


@router.delete("/numbers/{number_id}", status_code=204)
def release_number(number_id: PathId, member: Member = Depends(current_member)) -> Response:
    """Release a number. This can't be undone; its calls and costs stay in your history."""
    with session_scope() as session:
        inventory.release_number(session=session, member=member, number_id=number_id)
    return Response(status_code=204)


@router.put("/numbers/{number_id}/members", response_model=NumberAssignment)
def assign_number(
    number_id: PathId, body: NumberMembers, member: Member = Depends(current_member)
) -> NumberAssignment:
    """Assign a number to exactly these members of your workspace (admins and owners)."""
    with session_scope() as session:
        user_ids = assignments.assign_number(
            session=session, member=member, number_id=number_id, user_ids=body.user_ids
        )
    return NumberAssignment(number_id=number_id, user_ids=user_ids)
