"""The one error type callers of the telephony gateway see, and the mapping onto it.

Twilio signals failures three ways through the SDK: `TwilioRestException` (fetch, create,
update, delete), a plain `TwilioException` from `.list()`/`.page()` whose arguments carry
the HTTP response, and `requests` exceptions for network trouble. `translate` turns all
of them into a `TelephonyError` subclass carrying a sentence fit to show a user (see
`error_codes` for the codes users meet first), and the Retry-After Twilio sent, if any.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException

from . import error_codes, retry_after

P = ParamSpec("P")
R = TypeVar("R")


class TelephonyError(Exception):
    """A Twilio operation failed. `user_message` is safe to show; `str()` is for logs."""

    default_user_message = "The phone service could not complete that request. Please try again."

    def __init__(
        self,
        message: str = "",
        *,
        user_message: str | None = None,
        code: int | None = None,
        status: int | None = None,
        param: str | None = None,
        retry_after: int | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        self.user_message = user_message or self.default_user_message
        self.code = code
        self.status = status
        self.param = param  # the Twilio request parameter at fault ("To", "From"...)
        self.retry_after = retry_after  # seconds, when Twilio said when to come back
        # The request may have been carried out: it was sent and no answer came back.
        self.outcome_unknown = outcome_unknown
        super().__init__(message or self.user_message)


class NumberUnavailable(TelephonyError):
    default_user_message = "That number is no longer available. Pick another one."


class InvalidNumber(TelephonyError):
    default_user_message = "That phone number is not valid. Check it and try again."


class NotPermitted(TelephonyError):
    default_user_message = "The phone service does not allow that for this account."


class RecipientOptedOut(NotPermitted):
    """21610: the recipient texted STOP to the sending number; Twilio refuses until START."""


class NotFound(TelephonyError):
    default_user_message = "That item no longer exists at the phone service."


class TwilioUnavailable(TelephonyError):
    default_user_message = "The phone service is not reachable right now. Try again in a minute."


class PlatformRefused(TwilioUnavailable):
    """Twilio refused the platform's own credentials: nothing the user can fix."""

    default_user_message = error_codes.KNOWN_CODES[20003].message


# Twilio error codes (https://www.twilio.com/docs/api/errors) grouped by what the user can do.
_NUMBER_UNAVAILABLE = {21422}  # PhoneNumber not available (sold meanwhile or reserved).
_INVALID_NUMBER = {21211, 21212, 21214, 21217, 21401, 21421, 21451, 21614}
_PLATFORM_REFUSED = {20003}  # authentication: our own SID and token were refused.
# Inactive, test credentials, caller ID, geo permissions, trial limits, not SMS-capable.
_NOT_PERMITTED = {10002, 20005, 20008, 21210, 21215, 21216, 21219, 21408, 21606, 21608}
_OPTED_OUT = {21610}
_NOT_FOUND = {20404}
_UNAVAILABLE = {20429, 20500, 20503}

_STATUS_RE = re.compile(r"\bHTTP (\d{3})\b")
_CODE_RE = re.compile(r'"code"\s*:\s*(\d+)')
_MESSAGE_RE = re.compile(r'"message"\s*:\s*"([^"]*)"')


def _classify(*, code: int | None, status: int | None) -> type[TelephonyError]:
    if code in _NUMBER_UNAVAILABLE:
        return NumberUnavailable
    if code in _INVALID_NUMBER:
        return InvalidNumber
    if code in _PLATFORM_REFUSED:
        return PlatformRefused
    if code in _OPTED_OUT:
        return RecipientOptedOut
    if code in _NOT_PERMITTED:
        return NotPermitted
    if status == 401:  # credentials refused, whatever the code says
        return PlatformRefused
    if status == 403:
        return NotPermitted
    if code in _NOT_FOUND or status == 404:
        return NotFound
    if code in _UNAVAILABLE or status == 429 or (status is not None and status >= 500):
        return TwilioUnavailable
    return TelephonyError


def _from_response_text(text: str) -> tuple[int | None, str]:
    """(code, message) from a Twilio error body, tolerating bodies that are not JSON."""
    try:
        body = json.loads(text)
    except (TypeError, ValueError):
        body = None
    if isinstance(body, dict):
        code = body.get("code")
        return (code if isinstance(code, int) else None), str(body.get("message") or "")
    code_match, msg_match = _CODE_RE.search(text or ""), _MESSAGE_RE.search(text or "")
    return (
        int(code_match.group(1)) if code_match else None,
        msg_match.group(1) if msg_match else "",
    )


def _plain_twilio_exception(exc: TwilioException) -> tuple[int | None, int | None, str, int | None]:
    """(status, code, message, retry-after) of the bare TwilioException of list()/page().

    The SDK raises `TwilioException("Unable to fetch page", response)`: the response object
    is the second argument, and its repr ("HTTP 404 {...}") is all `str(exc)` shows.
    """
    for arg in exc.args:
        if hasattr(arg, "status_code") and hasattr(arg, "text"):
            code, message = _from_response_text(arg.text)
            wait = retry_after.of_headers(getattr(arg, "headers", None))
            return int(arg.status_code), code, message or str(exc.args[0]), wait
    text = str(exc)
    status_match = _STATUS_RE.search(text)
    code, message = _from_response_text(text)
    return (int(status_match.group(1)) if status_match else None), code, message or text, None


def from_answer(
    *, status: int | None, code: int | None, message: str, wait: int | None = None
) -> TelephonyError:
    """The error for a failed answer from Twilio: its class by code and status, and the
    sentence for users of the codes they meet first."""
    # Without a Twilio code in the body the SDK copies the HTTP status into `code`.
    if code is not None and code == status:
        code = None
    cls = _classify(code=code, status=status)
    known = error_codes.known(code)
    return cls(
        f"Twilio error (HTTP {status}, code {code}): {message}".strip(),
        code=code,
        status=status,
        user_message=known.message if known else None,
        param=known.param if known else None,
        retry_after=wait,
    )


def from_response(status: int, text: str, headers=None) -> TelephonyError:
    """The error for an HTTP answer we read ourselves (outside the SDK's own calls)."""
    code, message = _from_response_text(text)
    return from_answer(
        status=status, code=code, message=message, wait=retry_after.of_headers(headers)
    )


def translate(exc: BaseException) -> TelephonyError:
    """The `TelephonyError` that stands for `exc` (any SDK or network failure)."""
    if isinstance(exc, TelephonyError):
        return exc
    if isinstance(exc, requests.RequestException):
        # A read timeout came after the request went out: Twilio may have acted on it.
        sent = isinstance(exc, requests.ReadTimeout)
        return TwilioUnavailable(f"Cannot reach Twilio: {exc}", outcome_unknown=sent)
    if isinstance(exc, TwilioException):
        if isinstance(exc, TwilioRestException) or hasattr(exc, "status"):
            # TwilioRestException and the RFC 9457 TwilioServiceException both carry these.
            status = getattr(exc, "status", None)
            code = getattr(exc, "code", None)
            message = getattr(exc, "msg", None) or getattr(exc, "detail", None) or ""
            message = message or getattr(exc, "title", "") or ""
            wait = retry_after.last()
        else:
            status, code, message, wait = _plain_twilio_exception(exc)
        return from_answer(status=status, code=code, message=message, wait=wait)
    return TelephonyError(f"Unexpected telephony failure: {exc!r}")


def translating(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a gateway function so SDK and network failures leave it as TelephonyError."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (TwilioException, requests.RequestException) as exc:
            raise translate(exc) from exc
        except json.JSONDecodeError as exc:  # a 2xx whose body is not Twilio's JSON
            raise TelephonyError(f"Unreadable answer from Twilio: {exc}") from exc

    return wrapper
