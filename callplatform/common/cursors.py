"""Keyset page links: the (time, id) of the last row shown, as an opaque string; a list
read newest first continues strictly after it."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from callplatform.common import ids
from callplatform.common.errors import ValidationError


def encode(at: datetime, row_id: int) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{row_id}".encode()).decode()


def decode(cursor: str) -> tuple[datetime, int]:
    """The (time, id) a page link points after. A forged one is refused here: an id past
    the INTEGER column or a date with no UTC value would fail in the query."""
    try:
        stamp, _, ident = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        at, row_id = datetime.fromisoformat(stamp), ids.as_id(ident)
        if row_id is None:
            raise ValueError("not one of our cursors")
        if at.tzinfo is not None:
            at.astimezone(UTC)  # OverflowError when it has no UTC value
        return at, row_id
    except (ValueError, UnicodeDecodeError, OverflowError) as exc:
        raise ValidationError("That page link is not valid.", field="cursor") from exc
