"""Text people type, checked where it enters the services (from a page or the API).

Control characters have no place in a name, an email or a search, and PostgreSQL
refuses the NUL character outright (psycopg raises before the query runs), so they are
refused here with a sentence instead of failing deep in a write. Lengths are checked
here too: PostgreSQL refuses a value longer than its column, SQLite silently keeps it.
"""

from __future__ import annotations

import re

from callplatform.common.errors import ValidationError

# C0 controls and DEL; tab, newline and carriage return are whitespace and folded away.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(text: str) -> bool:
    return bool(_CONTROL.search(text))


def one_line(value, *, field: str, max_length: int) -> str:
    """`value` as one line: runs of whitespace become one space, ends trimmed; refused
    when it holds control characters or is longer than `max_length` characters."""
    if has_control(str(value or "")):
        raise ValidationError("Remove the control characters from this field.", field=field)
    text = " ".join(str(value or "").split())
    if len(text) > max_length:
        raise ValidationError(f"Use at most {max_length} characters.", field=field)
    return text


def check(value, *, field: str, max_length: int) -> str:
    """`value` as typed (a password, a search), refused only when it holds control
    characters or is longer than `max_length` characters."""
    text = str(value if value is not None else "")
    if has_control(text):
        raise ValidationError("Remove the control characters from this field.", field=field)
    if len(text) > max_length:
        raise ValidationError(f"Use at most {max_length} characters.", field=field)
    return text
