"""What the sandbox charges: Twilio's published US prices (USD)."""

from __future__ import annotations

import math
from decimal import Decimal

NUMBER_MONTHLY = {False: Decimal("1.15"), True: Decimal("2.15")}  # local, toll-free
PER_MINUTE = {
    "outbound": Decimal("0.0140"),  # calls to US/CA numbers
    "inbound": Decimal("0.0085"),  # calls to a local number
    "client": Decimal("0.0040"),  # the browser (Voice SDK) leg
}
RECORDING_PER_MINUTE = Decimal("0.0025")


def minutes(seconds: int) -> int:
    """Twilio bills started minutes."""
    return max(0, math.ceil(seconds / 60))


def call_price(kind: str, seconds: int) -> Decimal:
    """Negative, as Twilio reports a call's price."""
    return -(PER_MINUTE[kind] * minutes(seconds))


def recording_price(seconds: int) -> Decimal:
    return -(RECORDING_PER_MINUTE * minutes(seconds))


# Messages to and from US numbers: SMS per segment, MMS per message.
SMS_PER_SEGMENT = Decimal("0.0083")
MMS_PER_MESSAGE = Decimal("0.0220")


def message_price(*, segments: int, media: int) -> Decimal:
    """Negative, as Twilio reports a message's price."""
    return -(MMS_PER_MESSAGE if media else SMS_PER_SEGMENT * max(segments, 1))
