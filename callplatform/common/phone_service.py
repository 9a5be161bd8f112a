"""Where a Twilio failure becomes a service error: every service that calls the gateway
does it inside `twilio_call`, so nothing of the telephony layer's own error types
reaches the API or the pages, and each failure says what happened in words a user
understands, pointed at the input it is about."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

from callplatform.common.errors import PhoneServiceError
from callplatform.telephony.errors import TelephonyError, TwilioUnavailable


def as_service_error(
    exc: TelephonyError,
    *,
    field: str | None = None,
    fields: Mapping[str, str] | None = None,
    prefix: str = "",
) -> PhoneServiceError:
    """`exc` as a PhoneServiceError. `fields` maps the Twilio parameter an error code is
    about ("To", "From") to the caller's name for that input; `field` is the fallback."""
    named = (fields or {}).get(exc.param or "", field)
    return PhoneServiceError(
        prefix + exc.user_message,
        unavailable=isinstance(exc, TwilioUnavailable),
        field=named,
        retry_after_seconds=exc.retry_after,
    )


@contextlib.contextmanager
def twilio_call(
    *, field: str | None = None, fields: Mapping[str, str] | None = None, prefix: str = ""
) -> Iterator[None]:
    """Run gateway calls; a TelephonyError leaves as a PhoneServiceError."""
    try:
        yield
    except TelephonyError as exc:
        raise as_service_error(exc, field=field, fields=fields, prefix=prefix) from exc
