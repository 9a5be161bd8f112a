"""Phone number parsing and display (E.164 in storage, national format on screen)."""

from __future__ import annotations

import phonenumbers

from callplatform.common.errors import ValidationError


def to_e164(raw: str, *, region: str = "US", field: str = "phone_number") -> str:
    """Parse any common way of writing a number; raise a clear error if it isn't one."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError("Enter a phone number.", field=field)
    if len(text) > 40:
        raise ValidationError("That is too long to be a phone number.", field=field)
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(f"“{text}” is not a phone number.", field=field) from None
    if not phonenumbers.is_possible_number(parsed):
        raise ValidationError(f"“{text}” has the wrong number of digits.", field=field)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """+14155550100 -> +1 (415) 555-0100; anything unparsable is shown as it is."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if parsed.country_code == 1:
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        return f"+1 {national}"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def is_toll_free(e164: str) -> bool:
    parsed = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.TOLL_FREE
