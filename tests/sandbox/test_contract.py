"""The built-in sandbox answers in Twilio's shapes: every JSON endpoint it serves is
validated against the response schema of Twilio's official spec; and its state survives
a restart."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from starlette.testclient import TestClient

from twilio_sandbox.app import build_sandbox_app
from twilio_sandbox.credentials import master_credentials

SPEC = (
    Path(__file__).resolve().parents[2].parent / "shared" / "twilio-oai" / "twilio_api_v2010.json"
)


@pytest.fixture(scope="module")
def spec():
    if not SPEC.is_file():
        pytest.skip(f"Twilio OpenAPI spec not found at {SPEC} (shared/ beside the repository)")
    return json.loads(SPEC.read_text())


def _nullable(schema):
    """OpenAPI 3.0's `nullable` as JSON Schema type unions, recursively; refs resolved."""
    if isinstance(schema, list):
        return [_nullable(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _nullable(v) for k, v in schema.items() if not k.startswith("x-")}
    if out.pop("nullable", False):
        kind = out.get("type")
        if kind:
            out["type"] = [kind, "null"] if isinstance(kind, str) else [*kind, "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        if "$ref" in out:
            out = {"anyOf": [{"$ref": out.pop("$ref")}, {"type": "null"}], **out}
    out.pop("format", None)  # Twilio's formats (date-time-rfc-2822, ...) are not JSON Schema's
    return out


def _validator(spec, method: str, path: str, status: int) -> Draft202012Validator:
    for template, item in spec["paths"].items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path) and method in item:
            schema = item[method]["responses"][str(status)]["content"]["application/json"]["schema"]
            root = {"components": _nullable(spec["components"]), **_nullable(schema)}
            return Draft202012Validator(root)
    raise AssertionError(f"{method.upper()} {path} is not in the spec")


@pytest.fixture
def twilio(sqlite_db, spec):
    client = TestClient(build_sandbox_app())
    sid, token = master_credentials()
    auth = {"Authorization": "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode()}

    def request(method: str, path: str, status: int, **kwargs):
        response = client.request(method.upper(), path, headers=auth, **kwargs)
        assert response.status_code == status, response.text
        if status != 204:
            body = response.json()
            errors = list(_validator(spec, method, path.split("?")[0], status).iter_errors(body))
            assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
            return body
        return None

    return sid, request


def test_every_json_endpoint_matches_twilios_schemas(twilio):
    master, req = twilio
    sub = req("post", "/2010-04-01/Accounts.json", 201, data={"FriendlyName": "user 1"})["sid"]
    a = f"/2010-04-01/Accounts/{sub}"
    req("get", "/2010-04-01/Accounts.json", 200)
    req("get", f"{a}.json", 200)
    req("post", f"{a}.json", 200, data={"FriendlyName": "renamed"})
    offers = req("get", f"{a}/AvailablePhoneNumbers/US/Local.json?AreaCode=415", 200)
    req("get", f"{a}/AvailablePhoneNumbers/US/TollFree.json", 200)
    number = offers["available_phone_numbers"][0]["phone_number"]
    pn = req(
        "post",
        f"{a}/IncomingPhoneNumbers.json",
        201,
        data={"PhoneNumber": number, "VoiceUrl": "https://x.example/voice"},
    )["sid"]
    req("get", f"{a}/IncomingPhoneNumbers.json?PageSize=2", 200)
    req("get", f"{a}/IncomingPhoneNumbers/{pn}.json", 200)
    req("post", f"{a}/IncomingPhoneNumbers/{pn}.json", 200, data={"FriendlyName": "Sales"})
    app = req(
        "post",
        f"{a}/Applications.json",
        201,
        data={"FriendlyName": "app", "VoiceUrl": "https://x.example/voice"},
    )["sid"]
    req("get", f"{a}/Applications.json", 200)
    req("get", f"{a}/Applications/{app}.json", 200)
    req("post", f"{a}/Applications/{app}.json", 200, data={"FriendlyName": "app 2"})
    assert req("post", f"{a}/Keys.json", 201, data={"FriendlyName": "k"})["sid"].startswith("SK")
    req("get", f"{a}/Calls.json", 200)
    req("get", f"{a}/Recordings.json", 200)
    req("get", f"{a}/Usage/Records.json", 200)
    req("delete", f"{a}/Applications/{app}.json", 204)
    req("delete", f"{a}/IncomingPhoneNumbers/{pn}.json", 204)
    req("post", f"{a}.json", 200, data={"Status": "suspended"})


def test_calls_and_recordings_match_twilios_schemas(twilio):
    from twilio_sandbox import calls_store

    master, req = twilio
    call = calls_store.create_call(
        account_sid=master, from_="+14155550100", to="+12125550123", direction="outbound-api"
    )
    calls_store.set_status(call.sid, "completed", duration=61, kind="outbound")
    rec = calls_store.create_recording(account_sid=master, call_sid=call.sid, seconds=12)
    a = f"/2010-04-01/Accounts/{master}"
    body = req("get", f"{a}/Calls/{call.sid}.json", 200)
    assert (body["status"], body["duration"], body["price"]) == ("completed", "61", "-0.02800")
    req("get", f"{a}/Calls.json", 200)
    req("get", f"{a}/Calls/{call.sid}/Recordings.json", 200)
    assert req("get", f"{a}/Recordings/{rec.sid}.json", 200)["price"] == "-0.00250"
    req("delete", f"{a}/Recordings/{rec.sid}.json", 204)


def test_state_survives_a_restart(sqlite_db):
    sid, token = master_credentials()
    auth = (sid, token)
    first = TestClient(build_sandbox_app())
    sub = first.post("/2010-04-01/Accounts.json", auth=auth, data={"FriendlyName": "u"}).json()
    a = f"/2010-04-01/Accounts/{sub['sid']}"
    bought = first.post(
        f"{a}/IncomingPhoneNumbers.json", auth=auth, data={"AreaCode": "415"}
    ).json()
    second = TestClient(build_sandbox_app())  # a new app on the same database file
    assert master_credentials() == (sid, token)
    listed = second.get(f"{a}/IncomingPhoneNumbers.json", auth=(sub["sid"], sub["auth_token"]))
    assert [n["sid"] for n in listed.json()["incoming_phone_numbers"]] == [bought["sid"]]


def test_errors_and_auth_look_like_twilios(sqlite_db):
    sid, token = master_credentials()
    client = TestClient(build_sandbox_app())
    r = client.get(f"/2010-04-01/Accounts/{sid}.json", auth=(sid, "wrong"))
    assert r.status_code == 401 and r.json()["code"] == 20003
    other = client.post("/2010-04-01/Accounts.json", auth=(sid, token), data={}).json()
    mine = client.post("/2010-04-01/Accounts.json", auth=(sid, token), data={}).json()
    r = client.get(
        f"/2010-04-01/Accounts/{other['sid']}/IncomingPhoneNumbers.json",
        auth=(mine["sid"], mine["auth_token"]),
    )
    # A sibling's data is refused as Twilio refuses subaccount credentials on another account.
    assert r.status_code == 401 and r.json()["code"] == 20003
    a = f"/2010-04-01/Accounts/{mine['sid']}"
    r = client.post(
        f"{a}/IncomingPhoneNumbers.json", auth=(sid, token), data={"PhoneNumber": "+14151230100"}
    )
    assert r.status_code == 400 and r.json()["code"] == 21421
    n = client.post(f"{a}/IncomingPhoneNumbers.json", auth=(sid, token), data={"AreaCode": "212"})
    r = client.post(
        f"{a}/IncomingPhoneNumbers.json",
        auth=(sid, token),
        data={"PhoneNumber": n.json()["phone_number"]},
    )
    assert r.status_code == 400 and r.json()["code"] == 21422
