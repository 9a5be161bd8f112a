"""In the sandbox, as at Twilio, a subaccount's credentials reach its own account only:
not its siblings', not its parent's. The master reaches its subaccounts. Anonymous or
wrong credentials reach nothing. Over real HTTP, with the official SDK."""

from __future__ import annotations

import base64

import httpx
import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from callplatform.telephony.client import make_client
from callplatform.telephony.types import AccountCredentials
from twilio_sandbox import calls_store
from twilio_sandbox.credentials import master_credentials

API = "/_sandbox/twilio/2010-04-01"


def _new_subaccount(master: AccountCredentials, name: str) -> AccountCredentials:
    account = make_client(master).api.v2010.accounts.create(friendly_name=name)
    return AccountCredentials(sid=account.sid, auth_token=account.auth_token)


def _with_resources(owner: AccountCredentials) -> dict[str, str]:
    """A number, a finished call and its recording in `owner`'s account."""
    client = make_client(owner)
    number = client.incoming_phone_numbers.create(area_code="415")
    call = calls_store.create_call(
        account_sid=owner.sid,
        from_=number.phone_number,
        to="+12125550123",
        direction="outbound-api",
    )
    calls_store.set_status(call.sid, "completed", duration=30, kind="outbound")
    rec = calls_store.create_recording(account_sid=owner.sid, call_sid=call.sid, seconds=9)
    return {"number": number.sid, "call": call.sid, "recording": rec.sid}


@pytest.fixture
def accounts(telephony):
    """(master, A, B, and what each holds); the sandbox is at `telephony` (a URL)."""
    sid, token = master_credentials()
    master = AccountCredentials(sid=sid, auth_token=token)
    a, b = _new_subaccount(master, "tenant A"), _new_subaccount(master, "tenant B")
    return master, a, b, _with_resources(master), _with_resources(a), _with_resources(b)


def _refused(request) -> TwilioException:
    """The SDK's error for `request()`, which must not succeed."""
    with pytest.raises(TwilioException) as caught:
        request()
    return caught.value


def _status_and_code(error: TwilioException) -> tuple[int, int | None]:
    if isinstance(error, TwilioRestException):  # fetch, create, update, delete
        return error.status, error.code
    response = error.args[1]  # .list() raises a plain TwilioException with the response
    return response.status_code, httpx.Response(200, text=response.text).json().get("code")


def test_a_subaccount_lists_and_fetches_only_its_own_account(accounts):
    master, a, b, *_ = accounts
    client = make_client(a)
    assert [x.sid for x in client.api.v2010.accounts.list()] == [a.sid]
    assert client.api.v2010.accounts(a.sid).fetch().auth_token == a.auth_token
    for other in (b.sid, master.sid, "AC" + "0" * 32):
        error = _refused(client.api.v2010.accounts(other).fetch)
        assert _status_and_code(error) == (404, 20404)
        error = _refused(
            lambda other=other: client.api.v2010.accounts(other).update(status="closed")
        )
        assert _status_and_code(error) == (404, 20404)
    error = _refused(lambda: client.api.v2010.accounts.create(friendly_name="mine"))
    assert error.status == 403


def _every_request(account, has: dict[str, str]) -> list:
    """Reads, writes and deletes on `account`'s resources (`has` names some of them)."""
    return [
        account.incoming_phone_numbers.list,
        account.incoming_phone_numbers(has["number"]).fetch,
        lambda: account.incoming_phone_numbers(has["number"]).update(voice_url="http://x/"),
        lambda: account.incoming_phone_numbers(has["number"]).delete(),
        lambda: account.incoming_phone_numbers.create(area_code="212"),
        account.calls.list,
        account.calls(has["call"]).fetch,
        lambda: account.calls.create(to="+12125550123", from_="+14155550100", url="http://x/"),
        account.recordings.list,
        account.calls(has["call"]).recordings.list,
        account.recordings(has["recording"]).fetch,
        lambda: account.recordings(has["recording"]).delete(),
        account.applications.list,
        account.usage.records.list,
        lambda: account.new_keys.create(friendly_name="k"),
        lambda: account.available_phone_numbers("US").local.list(area_code="415"),
    ]


def test_a_subaccount_reaches_no_other_accounts_resources(accounts):
    master, a, b, master_has, a_has, b_has = accounts
    client = make_client(a)
    for other, has in ((b.sid, b_has), (master.sid, master_has)):
        for attempt in _every_request(client.api.v2010.accounts(other), has):
            assert _status_and_code(_refused(attempt)) == (401, 20003)
    # Nothing was changed or deleted by those attempts: the owners still see it all.
    b_client = make_client(b)
    assert b_client.recordings(b_has["recording"]).fetch().sid == b_has["recording"]
    assert b_client.incoming_phone_numbers(b_has["number"]).fetch().voice_url != "http://x/"
    # And A reaches its own resources with the very same client.
    assert [c.sid for c in client.calls.list()] == [a_has["call"]]
    assert [r.sid for r in client.recordings.list()] == [a_has["recording"]]


def test_raw_doors_refuse_another_accounts_credentials(accounts, telephony):
    """The recording's audio and the sandbox-only doors (the stand-ins for the browser's
    Voice SDK and for the outside world calling in), which the SDK has no method for."""
    master, a, b, _, _, b_has = accounts
    audio = f"{API}/Accounts/{b.sid}/Recordings/{b_has['recording']}.wav"
    doors = f"/_sandbox/twilio/sandbox/Accounts/{b.sid}"
    with httpx.Client(base_url=telephony, auth=(a.sid, a.auth_token)) as http:
        assert http.get(audio).status_code == 401
        for path, data in (
            (f"{doors}/IncomingCalls.json", {"From": "+12125550123", "To": "+14155550100"}),
            (f"{doors}/Clients/ann/Calls.json", {"To": "+12125550123"}),
            (f"{doors}/Calls/{b_has['call']}/Answer.json", {}),
            (f"{doors}/Calls/{b_has['call']}/Digits.json", {"Digits": "1"}),
        ):
            response = http.post(path, data=data)
            assert (response.status_code, response.json()["code"]) == (401, 20003), path
        assert http.get(audio, auth=(b.sid, b.auth_token)).status_code == 200
        assert http.get(audio, auth=(master.sid, master.auth_token)).status_code == 200


def test_the_master_reaches_its_subaccounts(accounts):
    master, a, b, _, _, b_has = accounts
    client = make_client(master)
    assert {a.sid, b.sid} <= {x.sid for x in client.api.v2010.accounts.list()}
    assert client.api.v2010.accounts(b.sid).fetch().auth_token == b.auth_token
    assert [c.sid for c in client.api.v2010.accounts(b.sid).calls.list()] == [b_has["call"]]


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(
    "who", ["anonymous", "wrong token", "a's sid, b's token", "non-ascii token", "garbage"]
)
def test_without_valid_credentials_nothing_is_answered(accounts, telephony, who):
    master, a, b, *_ = accounts
    authorization = {
        "anonymous": None,
        "wrong token": _basic(master.sid, "0" * 32),
        "a's sid, b's token": _basic(a.sid, b.auth_token),
        "non-ascii token": _basic(master.sid, "tökén"),
        "garbage": "Basic !!not-base64",
    }[who]
    headers = {"Authorization": authorization} if authorization else {}
    with httpx.Client(base_url=telephony, headers=headers) as http:
        for path in (
            f"{API}/Accounts.json",
            f"{API}/Accounts/{master.sid}.json",
            f"{API}/Accounts/{b.sid}/Calls.json",
            f"{API}/Accounts/{b.sid}/Recordings.json",
        ):
            response = http.get(path)
            assert response.status_code == 401 and response.json()["code"] == 20003, path
            assert master.auth_token not in response.text and b.auth_token not in response.text
        assert http.post(f"{API}/Accounts.json").status_code == 401
