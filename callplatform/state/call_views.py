"""View models for the call log, a call's detail and recordings."""

from __future__ import annotations

import dataclasses

from callplatform.common.phone_format import display
from callplatform.models import (
    FINAL_STATUSES,
    CallDirection,
    CallStatus,
    TwilioCall,
    TwilioRecording,
    status_label,
)

STATUS_COLORS = {
    CallStatus.COMPLETED: "green",
    CallStatus.IN_PROGRESS: "blue",
    CallStatus.RINGING: "amber",
    CallStatus.BUSY: "orange",
    CallStatus.NO_ANSWER: "orange",
    CallStatus.FAILED: "red",
    CallStatus.CANCELED: "gray",
}


def clock(seconds: int | None) -> str:
    seconds = int(seconds or 0)
    return f"{seconds // 60}:{seconds % 60:02d}"


@dataclasses.dataclass
class CallRow:
    id: int = 0
    direction: str = ""
    direction_label: str = ""
    from_display: str = ""
    to_display: str = ""
    number_name: str = ""
    status: str = ""
    status_color: str = "gray"
    duration: str = ""
    cost: str = ""
    has_recording: bool = False
    started_at: str = ""
    missed: bool = False
    live: bool = False  # still ringing or talking: its status will change
    other_number: str = ""  # the far end, E.164 (to add it to the contacts)
    other_name: str = ""  # the contact it names; shown in place of its number
    handled_by: str = ""  # the member who placed or answered it ("answered by")

    @classmethod
    def of(
        cls,
        call: TwilioCall,
        *,
        number_name: str,
        cost: str,
        has_recording: bool,
        other_name: str = "",
        handled_by: str = "",
    ):
        status = "Missed" if call.missed else status_label(call.status)
        inbound = call.direction == CallDirection.INBOUND
        other = call.from_number if inbound else call.to_number
        shown = {
            call.from_number: display(call.from_number),
            call.to_number: display(call.to_number),
        }
        if other_name:
            shown[other] = other_name
        return cls(
            id=call.id,
            direction=call.direction,
            direction_label=str(call.direction).capitalize(),
            from_display=shown[call.from_number],
            to_display=shown[call.to_number],
            number_name=number_name,
            status=status,
            status_color=STATUS_COLORS.get(call.status, "gray") if not call.missed else "orange",
            duration=clock(call.duration_seconds),
            cost=cost or "—",
            has_recording=has_recording,
            started_at=call.started_at.isoformat(),
            missed=call.missed,
            live=not call.missed and call.status not in FINAL_STATUSES,
            other_number=other,
            other_name=other_name,
            handled_by=handled_by,
        )


@dataclasses.dataclass
class EventRow:
    status: str = ""
    at: str = ""


@dataclasses.dataclass
class RecordingRow:
    id: int = 0
    call_id: int = 0
    duration: str = ""
    voicemail: bool = False
    created_at: str = ""
    media_url: str = ""
    caller: str = ""

    @classmethod
    def of(cls, rec: TwilioRecording, caller: str = "") -> RecordingRow:
        return cls(
            id=rec.id,
            call_id=rec.call_id or 0,
            duration=clock(rec.duration_seconds),
            voicemail=rec.is_voicemail,
            created_at=rec.created_at.isoformat(),
            media_url=f"/api/recordings/{rec.id}/media",
            caller=caller,
        )
