"""The composer's "N characters left · M segments · GSM-7" as the user types, counted in
the browser (no event per keystroke) by a port of `messaging.segments.count_segments`:
the same alphabets (written into the script from the Python sets), the same units (code
points; an extension character two septets, a character past the Basic Multilingual Plane
two UTF-16 units) and the same rule that a part never splits a pair.
`tests/messaging/test_draft_count_js.py` runs it in Node against the Python count. The
server counts again when the text is sent: this is only what the user sees."""

from __future__ import annotations

import json

from callplatform.messaging import segments

COUNTER_ID = "draft-count"


def words(text: str) -> str:
    """What the counter says for `text` (the Python side, for the empty draft)."""
    count = segments.count_segments(text)
    parts = f"{count.segments} segment{'' if count.segments == 1 else 's'}"
    encoding = "GSM-7" if count.encoding == "GSM-7" else "Unicode"
    return f"{count.characters_left} characters left · {parts} · {encoding}"


EMPTY = words("")

# (text) => the words above, in the browser.
COUNT_JS = (
    "((text) => {"
    f" const basic = new Set(Array.from({json.dumps(''.join(sorted(segments.GSM7_BASIC)))}));"
    f" const ext = new Set(Array.from({json.dumps(''.join(sorted(segments.GSM7_EXTENSION)))}));"
    " const chars = Array.from(text);"
    " const gsm = chars.every((c) => basic.has(c) || ext.has(c));"
    " const sizes = chars.map((c) => gsm ? (ext.has(c) ? 2 : 1)"
    " : (c.codePointAt(0) > 0xFFFF ? 2 : 1));"
    " const used = sizes.reduce((a, b) => a + b, 0);"
    f" const single = gsm ? {segments.SINGLE['GSM-7']} : {segments.SINGLE['UCS-2']};"
    f" const part = gsm ? {segments.PART['GSM-7']} : {segments.PART['UCS-2']};"
    " let count = used ? 1 : 0, left = single - used;"
    " if (used > single) {"
    " let filled = 0; count = 1;"
    " for (const size of sizes) { if (filled + size > part) { count += 1; filled = 0; }"
    " filled += size; }"
    " left = part - filled; }"
    " return `${left} characters left · ${count} segment${count === 1 ? '' : 's'} · `"
    " + (gsm ? 'GSM-7' : 'Unicode'); })"
)

# On the composer's textarea: the counter follows every keystroke.
ON_INPUT = (
    "(e) => { const counter = document.getElementById("
    f"{json.dumps(COUNTER_ID)}); if (counter) counter.textContent = {COUNT_JS}"
    "(e.currentTarget.value); }"
)


def cleared(body_id: str) -> str:
    """A script for after a send: the textarea emptied, and the counter with it."""
    return (
        f"(() => {{ const body = document.getElementById({json.dumps(body_id)});"
        " if (body) body.value = '';"
        f" const counter = document.getElementById({json.dumps(COUNTER_ID)});"
        f" if (counter) counter.textContent = {json.dumps(EMPTY)}; }})()"
    )
