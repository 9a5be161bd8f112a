"""What a browser's Twilio Voice SDK does, for the built-in sandbox.

With real Twilio the browser's `Device` connects, answers and rejects calls itself. In the
sandbox there is no Twilio edge for the browser to reach, so the backend asks the sandbox
to play that part: these calls exist only on the sandbox (paths under `/sandbox/`), sent
through the same rewritten, authenticated SDK client as every other Twilio request.
"""

from __future__ import annotations

import json

from .client import make_client
from .errors import TelephonyError, from_response, translating
from .types import AccountCredentials

_ROOT = "https://api.twilio.com/sandbox/Accounts"


def _post(creds: AccountCredentials, path: str, data: dict[str, str]) -> dict:
    response = make_client(creds).request(
        "POST", f"{_ROOT}/{creds.sid}/{path}", data=data, auth=(creds.sid, creds.auth_token)
    )
    if response.status_code >= 400:
        raise from_response(response.status_code, response.text, response.headers)
    body = json.loads(response.text or "{}") if response.text else {}
    if not isinstance(body, dict):
        raise TelephonyError(f"unexpected sandbox answer: {response.text[:200]!r}")
    return body


def _sid(body: dict) -> str:
    if not isinstance(body.get("sid"), str):
        raise TelephonyError(f"no call SID in the sandbox's answer: {body!r}")
    return body["sid"]


@translating
def connect(creds: AccountCredentials, *, identity: str, to: str, caller_id: str) -> str:
    """Start a call from the browser client `identity` (as `Device.connect`); its SID."""
    return _sid(_post(creds, f"Clients/{identity}/Calls.json", {"To": to, "CallerId": caller_id}))


@translating
def answer(creds: AccountCredentials, *, call_sid: str, identity: str) -> None:
    """The browser accepts the inbound call `call_sid` ringing it."""
    _post(creds, f"Calls/{call_sid}/Answer.json", {"Identity": identity})


@translating
def reject(creds: AccountCredentials, *, call_sid: str, identity: str) -> None:
    _post(creds, f"Calls/{call_sid}/Reject.json", {"Identity": identity})


@translating
def send_digits(creds: AccountCredentials, *, call_sid: str, digits: str) -> None:
    _post(creds, f"Calls/{call_sid}/Digits.json", {"Digits": digits})


@translating
def place_inbound_call(
    creds: AccountCredentials, *, from_: str, to: str, keypresses: str | None = None
) -> str:
    """Someone out there calls `to` (a number the sandbox sold); the new call's SID.
    `keypresses`: what they press at each menu (comma-separated, "" for no key)."""
    data = {"From": from_, "To": to}
    if keypresses is not None:
        data["Keypresses"] = keypresses
    return _sid(_post(creds, "IncomingCalls.json", data))
