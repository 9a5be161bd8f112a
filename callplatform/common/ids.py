"""Row ids as the services accept them: positive integers that fit the INTEGER columns
holding them (32 bits on PostgreSQL, which refuses a larger value outright; SQLite
can't even bind one past 64 bits). Anything else (a 40-digit number, a negative one,
text) is an id no row has, and never reaches the database."""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1


def is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def as_id(value) -> int | None:
    """`value` (an int, or digits a client sent) as a row id, or None if it can't be one."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,10}", value.strip()):
        value = int(value)
    return value if is_id(value) else None
