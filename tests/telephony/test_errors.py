"""Translation of real SDK and network exceptions into TelephonyError."""

from __future__ import annotations

import json

import pytest
import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.response import Response

from callplatform.telephony.errors import (
    InvalidNumber,
    NotFound,
    NotPermitted,
    NumberUnavailable,
    PlatformRefused,
    TelephonyError,
    TwilioUnavailable,
    translate,
    translating,
)

URI = "/Accounts/AC00/IncomingPhoneNumbers.json"


def rest(status: int, code: int | None) -> TwilioRestException:
    return TwilioRestException(status, URI, msg="Unable to create record: nope", code=code)


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, 21422, NumberUnavailable),
        (400, 21421, InvalidNumber),
        (400, 21211, InvalidNumber),
        (400, 21214, InvalidNumber),
        (401, 20003, PlatformRefused),
        (401, None, PlatformRefused),
        (403, 20008, NotPermitted),
        (401, 20005, NotPermitted),
        (400, 21215, NotPermitted),
        (403, None, NotPermitted),
        (404, 20404, NotFound),
        (404, None, NotFound),
        (429, 20429, TwilioUnavailable),
        (500, None, TwilioUnavailable),
        (503, 20503, TwilioUnavailable),
        (400, 21999, TelephonyError),
        (422, None, TelephonyError),
    ],
)
def test_rest_exception_classes(status, code, expected):
    error = translate(rest(status, code))
    assert type(error) is expected
    assert (error.status, error.code) == (status, code)
    assert error.user_message.endswith(".") and "nope" in str(error)


def test_user_messages_are_specific():
    assert (
        translate(rest(400, 21422)).user_message
        == "That number is no longer available. Pick another one."
    )
    messages = {cls.default_user_message for cls in (InvalidNumber, NotPermitted, NotFound)}
    assert len(messages) == 3


def test_status_copied_into_code_by_the_sdk_is_not_a_twilio_code():
    # Without a code in the body the SDK sets code = HTTP status; that is not a Twilio code.
    error = translate(rest(404, 404))
    assert isinstance(error, NotFound) and error.code is None


def test_plain_exception_from_list_carries_the_response():
    body = json.dumps({"code": 20404, "message": "The requested resource was not found"})
    exc = TwilioException("Unable to fetch page", Response(404, body))
    error = translate(exc)
    assert isinstance(error, NotFound)
    assert (error.status, error.code) == (404, 20404)
    assert "requested resource" in str(error)


@pytest.mark.parametrize(
    ("exc", "expected", "status", "code"),
    [
        (
            TwilioException("Unable to fetch page", Response(401, '{"code": 20003}')),
            PlatformRefused,
            401,
            20003,
        ),
        (
            TwilioException("Unable to fetch page", Response(502, "<html>bad gateway</html>")),
            TwilioUnavailable,
            502,
            None,
        ),
        (
            TwilioException("('Unable to fetch page', HTTP 400 {\"code\": 21421})"),
            InvalidNumber,
            400,
            21421,
        ),
        (TwilioException("HTTP 429 too many"), TwilioUnavailable, 429, None),
        (TwilioException("Page Records can not be deserialized"), TelephonyError, None, None),
    ],
)
def test_plain_twilio_exceptions(exc, expected, status, code):
    error = translate(exc)
    assert type(error) is expected
    assert (error.status, error.code) == (status, code)


def test_rfc9457_service_exception():
    exc = TwilioServiceException(
        type_uri="https://www.twilio.com/docs/errors/21422",
        title="Number unavailable",
        status=400,
        code=21422,
        detail="+14155550100 is not available",
    )
    error = translate(exc)
    assert isinstance(error, NumberUnavailable) and error.status == 400
    assert "not available" in str(error)


@pytest.mark.parametrize(
    "exc",
    [
        requests.ConnectionError("connection refused"),
        requests.Timeout("read timed out"),
        requests.exceptions.SSLError("bad certificate"),
    ],
)
def test_network_failures_are_unavailable(exc):
    error = translate(exc)
    assert isinstance(error, TwilioUnavailable) and error.status is None


def test_translate_keeps_telephony_errors():
    original = NotFound("gone")
    assert translate(original) is original


def test_translating_decorator_chains_the_cause():
    @translating
    def buy():
        raise rest(400, 21422)

    with pytest.raises(NumberUnavailable) as raised:
        buy()
    assert isinstance(raised.value.__cause__, TwilioRestException)


def test_translating_lets_programming_errors_through():
    @translating
    def broken():
        raise KeyError("bug")

    with pytest.raises(KeyError):
        broken()


@pytest.mark.parametrize(
    ("code", "param", "words"),
    [
        (21210, "From", "caller ID"),
        (21452, "AreaCode", "area code"),
        (21215, "To", "geographic permissions"),
        (21408, "To", "geographic permissions"),
        (20003, None, "contact support"),
        (21606, "From", "SMS-capable"),
        (21219, "To", "trial account"),
        (21608, "To", "trial account"),
    ],
)
def test_codes_users_meet_first_are_explained(code, param, words):
    error = translate(rest(400 if code != 20003 else 401, code))
    assert error.param == param and words in error.user_message
    assert "nope" not in error.user_message  # Twilio's own wording stays in the logs


def test_trial_and_geo_limits_are_refusals_and_bad_credentials_are_an_outage():
    assert isinstance(translate(rest(400, 21219)), NotPermitted)
    assert isinstance(translate(rest(400, 21215)), NotPermitted)
    assert isinstance(translate(rest(401, 20003)), TwilioUnavailable)


def test_retry_after_of_a_list_error_comes_from_its_response():
    headers = {"Retry-After": "17"}
    exc = TwilioException("Unable to fetch page", Response(429, '{"code": 20429}', headers))
    error = translate(exc)
    assert isinstance(error, TwilioUnavailable) and error.retry_after == 17


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("30", 30), ("0", 1), ("999999", 3600), ("soon", None), ("", None), (None, None)],
)
def test_retry_after_values_are_bounded(value, seconds):
    from callplatform.telephony import retry_after

    assert retry_after.parse(value) == seconds


def test_retry_after_as_an_http_date():
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    from callplatform.telephony import retry_after

    when = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    assert 100 <= retry_after.parse(when) <= 120


def test_only_a_read_timeout_leaves_the_outcome_unknown():
    assert translate(requests.ReadTimeout("read timed out")).outcome_unknown
    assert not translate(requests.ConnectTimeout("connect timed out")).outcome_unknown
    assert not translate(requests.ConnectionError("refused")).outcome_unknown
