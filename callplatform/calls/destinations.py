"""Where a user may call: the platform's rules against toll fraud, checked on the server
before a call is placed and again in the voice webhook."""

from __future__ import annotations

import phonenumbers

from callplatform.common.errors import ValidationError
from callplatform.common.phone_format import to_e164

ALLOWED_COUNTRIES = {"US", "CA"}
BLOCKED_TYPES = {
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium-rate",
    phonenumbers.PhoneNumberType.SHARED_COST: "shared-cost",
    phonenumbers.PhoneNumberType.UAN: "high-cost",
    phonenumbers.PhoneNumberType.PAGER: "pager",
}


def check_destination(raw: str, *, field: str = "to", texting: bool = False) -> str:
    """The destination in E.164, or a ValidationError that says why it can't be called
    (or, `texting`, sent a text: the same rules hold for messages)."""
    e164 = to_e164(raw, field=field)
    parsed = phonenumbers.parse(e164, None)
    region = phonenumbers.region_code_for_number(parsed)
    if region not in ALLOWED_COUNTRIES:
        raise ValidationError(
            f"{'Texts' if texting else 'Calls'} to that country aren't enabled. "
            f"You can {'text' if texting else 'call'} the United States and Canada.",
            field=field,
        )
    kind = BLOCKED_TYPES.get(phonenumbers.number_type(parsed))
    if kind:
        raise ValidationError(
            f"{'Texts' if texting else 'Calls'} to {kind} numbers are blocked.", field=field
        )
    return e164
