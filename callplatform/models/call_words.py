"""The words for a call, shared by the webhooks, the sweep, the call log, the softphone,
the pages and the API: Twilio's call statuses (with the sets that matter and the words
people use for them) and a call's direction."""

from __future__ import annotations

import enum


class CallStatus(str, enum.Enum):
    """Twilio's CallStatus values, in the order a call lives through them."""

    QUEUED = "queued"
    INITIATED = "initiated"
    RINGING = "ringing"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    BUSY = "busy"
    FAILED = "failed"
    NO_ANSWER = "no-answer"
    CANCELED = "canceled"

    @property
    def label(self) -> str:
        """What a person calls it ("No answer", not "no-answer")."""
        return _LABELS[self]


class CallDirection(str, enum.Enum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


def status_label(value: str) -> str:
    """The words for a status as stored (unknown values shown as they are)."""
    try:
        return CallStatus(value).label
    except ValueError:
        return value


# A call in one of these has ended and never changes status again.
FINAL_STATUSES = frozenset(
    {
        CallStatus.COMPLETED,
        CallStatus.BUSY,
        CallStatus.FAILED,
        CallStatus.NO_ANSWER,
        CallStatus.CANCELED,
    }
)
# Ended without a conversation: the failure rate admins watch.
UNSUCCESSFUL_STATUSES = FINAL_STATUSES - {CallStatus.COMPLETED}
_LABELS = {
    CallStatus.QUEUED: "Queued",
    CallStatus.INITIATED: "Dialing",
    CallStatus.RINGING: "Ringing",
    CallStatus.IN_PROGRESS: "In progress",
    CallStatus.COMPLETED: "Completed",
    CallStatus.BUSY: "Busy",
    CallStatus.FAILED: "Failed",
    CallStatus.NO_ANSWER: "No answer",
    CallStatus.CANCELED: "Canceled",
}
