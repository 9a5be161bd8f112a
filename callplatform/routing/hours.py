"""Whether business hours are open at a moment, in their own time zone. `now` is the one
clock call-time routing reads, so tests set the hour instead of waiting for it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from callplatform.routing.document import WEEKDAYS, Hours


def now() -> datetime:
    return datetime.now(UTC)


def is_open(hours: Hours, at: datetime) -> bool:
    """Open when `at` (aware), read in the hours' zone, falls in one of that weekday's
    spans (closing time excluded) and its date is not a closure."""
    local = at.astimezone(ZoneInfo(hours.zone))
    if local.date() in hours.closures:
        return False
    clock = local.strftime("%H:%M")
    spans = hours.week.get(WEEKDAYS[local.weekday()]) or []
    return any(span.open <= clock < span.close for span in spans)
