"""The path a call took through its number's routing, for the call's detail: the hours
it met, the key pressed, who rang, where it was forwarded, voicemail."""

from __future__ import annotations

from sqlmodel import Session, col, select

from callplatform.models import CallRouteEvent, TwilioCall

MAX_EVENTS_PER_CALL = 100  # a forged flood of callbacks can't grow one call's path without end


def record(*, session: Session, number_id: int, call_sid: str, kind: str, detail: str = "") -> None:
    """Note one decision; callers have proven the number belongs to the signing account."""
    if not call_sid.startswith("CA"):
        return
    count = session.exec(
        select(CallRouteEvent.id)
        .where(CallRouteEvent.call_sid == call_sid[:34], CallRouteEvent.number_id == number_id)
        .limit(MAX_EVENTS_PER_CALL)
    ).all()
    if len(count) >= MAX_EVENTS_PER_CALL:
        return
    session.add(
        CallRouteEvent(
            number_id=number_id, call_sid=call_sid[:34], kind=kind[:16], detail=detail[:200]
        )
    )


def call_path(*, session: Session, call: TwilioCall) -> list[CallRouteEvent]:
    """The routing decisions on a call the caller has already been allowed to see, oldest
    first; only events on the call's own number count."""
    if call.number_id is None:
        return []
    return list(
        session.exec(
            select(CallRouteEvent)
            .where(
                CallRouteEvent.call_sid == call.call_sid,
                CallRouteEvent.number_id == call.number_id,
            )
            .order_by(col(CallRouteEvent.occurred_at), col(CallRouteEvent.id))
        )
    )


def describe(event: CallRouteEvent) -> str:
    """One step of the path in words."""
    words = {
        "hours": "Business hours: {}",
        "menu": "Menu: {}",
        "ring": "Rang {}",
        "offline": "Nobody online to ring",
        "forward": "Forwarded to {}",
        "voicemail": "Went to voicemail",
        "blocked": "Blocked caller: {}",
        "hangup": "Hung up",
        "loop": "Routing stopped: {}",
        "answered": "Answered",
        "unanswered": "Not answered: {}",
        "whisper": "Forwarded call {}",
        # Hold and transfer on a live call (routing/transfer.py).
        "hold": "Put on hold",
        "resume": "Taken off hold",
        "transfer": "Transferring to {}",
        "consult": "Consulting {}",
        "add": "Added {} to the call",
        "handed": "Handed over to {}",
        "returned": "Back with the caller",
        "left": "{} hung up",
    }
    return words.get(event.kind, event.kind + ": {}").format(event.detail).rstrip(": ")
