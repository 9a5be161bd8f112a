"""Which calls and recordings a member sees: a workspace's admins and owners see all of
its history; a member sees the calls of the numbers assigned to them and the calls they
handled themselves (placed or answered), also from a number no longer theirs. Every
history query adds these conditions; a single row is checked with `sees_call`."""

from __future__ import annotations

from sqlalchemy import false, or_
from sqlmodel import col

from callplatform.models import TwilioCall, TwilioRecording
from callplatform.workspaces.access import Member


def call_conditions(member: Member) -> list:
    """WHERE conditions on TwilioCall for the calls the member sees."""
    conditions = [TwilioCall.workspace_id == member.workspace_id]
    if not member.manages:
        conditions.append(_members_share(member))
    return conditions


def _members_share(member: Member):
    numbers = sorted(member.number_ids)
    return or_(
        col(TwilioCall.number_id).in_(numbers) if numbers else false(),
        TwilioCall.handled_by == member.user_id,
    )


def recording_conditions(member: Member) -> list:
    """WHERE conditions for recordings joined (outer) to their call: a recording is seen
    with its call; one without a known call only by admins and owners."""
    conditions = [TwilioRecording.workspace_id == member.workspace_id]
    if not member.manages:
        conditions.append(_members_share(member))
    return conditions


def sees_call(member: Member, call: TwilioCall | None) -> bool:
    return (
        call is not None
        and call.workspace_id == member.workspace_id
        and (
            member.manages
            or call.number_id in member.number_ids
            or call.handled_by == member.user_id
        )
    )
