"""How carriers count a text message: its encoding, segments and the characters left.

A segment is 140 octets. A message whose every character is in the GSM 03.38 alphabet
(the basic table, or its extension table reached by an escape septet, so an extension
character costs two septets) is sent as GSM-7: 160 septets alone, 153 per segment once
it is split, since each part carries a 6-octet header. One character outside the
alphabet sends the whole message as UCS-2 (UTF-16 code units: a character beyond the
Basic Multilingual Plane, such as most emoji, is a surrogate pair and costs two): 70
units alone, 67 per part. Carriers never split an escape sequence or a surrogate pair
between two parts; the part ends early and the pair starts the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Encoding = Literal["GSM-7", "UCS-2"]

# GSM 03.38's basic table in code order (0x1B, the escape to the extension, left out).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Its extension table: each is sent as the escape septet and one more.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE = {"GSM-7": 160, "UCS-2": 70}  # units in a message sent as one segment
PART = {"GSM-7": 153, "UCS-2": 67}  # units in each part of a split message


@dataclass(frozen=True)
class SegmentCount:
    """What a message costs as carriers count it.

    `characters_used` and `characters_left` are in the encoding's units, the ones the
    limits count: septets for GSM-7 (an extension character is two), UTF-16 code units
    for UCS-2 (an emoji beyond the Basic Multilingual Plane is two). `characters_left`
    is how many more single units fit in the last segment before another one starts.
    """

    encoding: Encoding
    segments: int
    characters_used: int
    characters_left: int


def encoding_of(text: str) -> Encoding:
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        return "GSM-7"
    return "UCS-2"


def _units(text: str, encoding: Encoding) -> list[int]:
    """The units each character takes: the sizes that may never be split."""
    if encoding == "GSM-7":
        return [2 if c in GSM7_EXTENSION else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def count_segments(text: str) -> SegmentCount:
    """Segments and characters left for `text`; an empty text takes no segment."""
    encoding = encoding_of(text)
    sizes = _units(text, encoding)
    used = sum(sizes)
    if used <= SINGLE[encoding]:
        return SegmentCount(encoding, 1 if used else 0, used, SINGLE[encoding] - used)
    capacity, segments, filled = PART[encoding], 1, 0
    for size in sizes:
        if filled + size > capacity:  # an escape pair or surrogate pair starts the next part
            segments, filled = segments + 1, 0
        filled += size
    return SegmentCount(encoding, segments, used, capacity - filled)
