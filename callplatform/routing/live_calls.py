"""The live call a member's softphone is on, as the database and Twilio know it: the
logged call (outbound: the callee's leg, a child of the browser's; inbound: the call
itself, or its parent when real Twilio's Voice SDK names its own leg), only if the member
handles it (placed or answered it) in the workspace they act in, and it is in progress."""

from __future__ import annotations

import re

from sqlmodel import Session, col, or_, select

from callplatform.common.errors import NotFound, ServiceError, ValidationError
from callplatform.common.phone_service import twilio_call
from callplatform.db import end_transaction
from callplatform.history.visibility import call_conditions
from callplatform.models import TwilioCall
from callplatform.telephony import gateway
from callplatform.tenancy import subaccounts
from callplatform.workspaces.access import Member

NOT_YOURS = "That call isn't one of yours."
CALL_SID = re.compile(r"CA[0-9a-f]{32}")


def _mine(member: Member) -> list:
    """The calls this member handles (placed or answered) in the workspace they act in."""
    return [*call_conditions(member), TwilioCall.handled_by == member.user_id]


def live_call(*, session: Session, member: Member, softphone_sid: str) -> TwilioCall:
    """The logged call behind the softphone's call (outbound: the callee's leg, a child
    of the browser's; inbound: the call itself), if the member handles it and it is in
    progress."""
    if not isinstance(softphone_sid, str) or not CALL_SID.fullmatch(softphone_sid):
        raise NotFound(NOT_YOURS)
    row = session.exec(
        select(TwilioCall)
        .where(
            *_mine(member),
            or_(TwilioCall.parent_call_sid == softphone_sid, TwilioCall.call_sid == softphone_sid),
        )
        .order_by(col(TwilioCall.id).desc())
    ).first()
    if row is None:
        row = _parent_row(session=session, member=member, leg_sid=softphone_sid)
    if row.status != "in-progress":
        raise ValidationError("The call isn't connected.")
    return row


def _parent_row(*, session: Session, member: Member, leg_sid: str) -> TwilioCall:
    """With real Twilio the browser's Voice SDK names its own leg of an inbound call (a
    child of the logged call): Twilio says whose child it is, asked with the workspace's own
    credentials (another account's call is not found)."""
    creds = subaccounts.get_credentials(session=session, workspace_id=member.workspace_id)
    if creds is None:
        raise NotFound(NOT_YOURS)
    end_transaction(session)
    try:
        with twilio_call():
            parent = gateway.fetch_call(creds, sid=leg_sid).parent_call_sid
    except ServiceError:
        raise NotFound(NOT_YOURS) from None
    row = session.exec(
        select(TwilioCall).where(
            *_mine(member),
            TwilioCall.call_sid == (parent or "-"),
            TwilioCall.direction == "inbound",
        )
    ).first()
    if row is None:
        raise NotFound(NOT_YOURS)
    return row
