"""Everything in a value as searchable text: every string in nested containers,
dataclasses, models and bytes, each also with data: URLs (base64 or not), %-escapes and
\\u-escapes decoded, so that what a client gets in any encoding can be searched."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import re
from urllib.parse import unquote, unquote_plus


def text_of(value) -> str:
    """Every string in `value` (nested containers, dataclasses, models, bytes), each also
    with data: URLs and %-escapes decoded, one per line."""
    out: list[str] = []
    _collect(value, out, set())
    return "\n".join(_decoded(s) for s in out)


def _collect(value, out: list[str], seen: set[int]) -> None:
    if id(value) in seen:
        return
    if isinstance(value, str):
        out.append(value)
        return
    if isinstance(value, bytes | bytearray):
        out.append(bytes(value).decode("latin-1"))
        return
    if value is None or isinstance(value, bool | int | float):
        out.append(str(value))
        return
    seen.add(id(value))
    if isinstance(value, dict):
        for k, v in value.items():
            _collect(k, out, seen)
            _collect(v, out, seen)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            _collect(v, out, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _collect(getattr(value, f.name, None), out, seen)
    elif hasattr(value, "model_dump"):
        _collect(value.model_dump(), out, seen)
    else:
        out.append(str(value))


def _decoded(text: str) -> str:
    parts = [text]
    if "%" in text:
        parts += [unquote(text), unquote_plus(text)]
    if "\\u" in text:
        with contextlib.suppress(ValueError):
            parts.append(json.loads(json.dumps(text).replace("\\\\u", "\\u")))
    for match in re.finditer(r"data:[^,\s\"']*?(;base64)?,([^\s\"')]*)", text):
        payload = match.group(2)
        try:
            raw = base64.b64decode(unquote(payload)) if match.group(1) else payload.encode()
            parts.append(raw.decode("utf-8", "replace"))
            parts.append(unquote(parts[-1]))
        except ValueError:
            parts.append(payload)
    return "\n".join(parts)
