"""Twilio error codes a user meets first on a real account, in sentences they understand.

Each entry names the request parameter Twilio complains about (`From`, `To`, ...) so a
service can point at its own input field, and says what happened and what to do. The
meanings are Twilio's, from https://www.twilio.com/docs/api/errors/<code>; codes not
listed here fall back to their error class's general sentence.
"""

from __future__ import annotations

from typing import NamedTuple


class KnownCode(NamedTuple):
    param: str | None  # the Twilio request parameter the error is about, if any
    message: str


TRIAL = "The platform's Twilio account is a trial account"

KNOWN_CODES: dict[int, KnownCode] = {
    # 20003 Permission Denied: the account SID and auth token were refused. Our own
    # credentials, never the user's fault, so they are told to come back later.
    20003: KnownCode(
        None,
        "The platform's Twilio account refused our request. Please try again later, "
        "and contact support if it keeps happening.",
    ),
    # 20005 Account not active (suspended or closed).
    20005: KnownCode(None, "Your phone service account is not active. Contact support."),
    # 20429 Too Many Requests.
    20429: KnownCode(None, "The phone service is busy right now. Try again in a minute."),
    # 10002 Trial account does not support this feature.
    10002: KnownCode(None, f"{TRIAL}, which can't do that yet. Contact support."),
    # 21210 'From' phone number not verified: the caller ID is neither a Twilio number
    # of the account nor one of its verified caller IDs.
    21210: KnownCode(
        "From",
        "The phone service won't use that number as the caller ID: it isn't a number of "
        "this account or a verified caller ID. Call from one of your own numbers.",
    ),
    # 21215 Geo Permission configuration is not permitting the call.
    21215: KnownCode(
        "To",
        "Calls to that country or region are not enabled on the platform's Twilio "
        "account (geographic permissions). Contact support to have it enabled.",
    ),
    # 21408 Message blocked: permissions disabled for the destination region.
    21408: KnownCode(
        "To",
        "Messages to that country or region are not enabled on the platform's Twilio "
        "account (geographic permissions). Contact support to have it enabled.",
    ),
    # 21219 'To' phone number not verified: trial accounts may only call verified numbers.
    21219: KnownCode(
        "To",
        f"{TRIAL}, which can only call numbers verified with Twilio, and that number is "
        "not verified.",
    ),
    # 21608 The 'to' phone number is not yet verified: trial accounts may only message
    # verified numbers.
    21608: KnownCode(
        "To",
        f"{TRIAL}, which can only send messages to numbers verified with Twilio, and "
        "that number is not verified.",
    ),
    # 21606 The 'From' number is not a valid message-capable Twilio number for this
    # account (not SMS-capable, or not the account's own).
    21606: KnownCode(
        "From",
        "That number can't send text messages: it isn't SMS-capable or isn't one of "
        "this account's numbers.",
    ),
    # 21452 No phone numbers found in area code (buying by area code).
    21452: KnownCode(
        "AreaCode",
        "There are no numbers for sale in that area code right now. Try another area code.",
    ),
    # 21422 PhoneNumber is not available (sold meanwhile, or reserved).
    21422: KnownCode("PhoneNumber", "That number is no longer available. Pick another one."),
    # 21211 Invalid 'To' phone number; 21214 'To' cannot be reached; 21217 'To' does not
    # appear to be valid.
    21211: KnownCode("To", "That phone number is not valid. Check it and try again."),
    21214: KnownCode("To", "That phone number can't be reached. Check it and try again."),
    21217: KnownCode("To", "That phone number is not valid. Check it and try again."),
    # 21610 Attempt to send to unsubscribed recipient: they texted STOP to this number.
    21610: KnownCode(
        "To",
        "That person has opted out of texts from this number (they replied STOP). They "
        "can text START to it to receive messages again.",
    ),
    # 21614 'To' number is not a valid mobile number (a landline can't take texts).
    21614: KnownCode("To", "That number can't receive text messages. Call it instead."),
    # 21617 The concatenated message body exceeds the 1600 character limit.
    21617: KnownCode("Body", "That message is too long: at most 1,600 characters."),
    # 21619 A text message body or media urls must be specified.
    21619: KnownCode("Body", "Write a message or attach a picture first."),
}


def known(code: int | None) -> KnownCode | None:
    return KNOWN_CODES.get(code) if code is not None else None
