"""The Retry-After of Twilio's last failed answer on this thread.

The SDK builds its exceptions from the status and body alone, so the headers are gone
by the time `errors.translate` sees one. The HTTP client notes the header of every
answer here (one slot per thread: an SDK call and the exception it raises happen on the
same thread), and `translate` reads it: every answer overwrites it, so what it reads
is the answer that failed (read, not taken: one failure may be translated twice).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# A client is told to come back within an hour at most, whatever a header says.
MAX_SECONDS = 3600
_last = threading.local()


def parse(value: str | None) -> int | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        seconds = int(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = int((when - datetime.now(UTC)).total_seconds())
    return min(max(seconds, 1), MAX_SECONDS)


def of_headers(headers) -> int | None:
    return parse((headers or {}).get("Retry-After"))


def note(status_code: int, headers) -> None:
    """Remember the Retry-After of a failed answer (forget any older one on success)."""
    _last.seconds = of_headers(headers) if status_code >= 400 else None


def last() -> int | None:
    return getattr(_last, "seconds", None)
