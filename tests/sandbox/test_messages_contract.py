"""The sandbox's messaging answers in Twilio's shapes: each JSON endpoint validated
against the response schema of Twilio's official spec (2010-04-01 for messages and
media, messaging v1 for Messaging Services); and a sandbox database made before the
messaging columns existed gains them."""

from __future__ import annotations

import base64
import json
import sqlite3
import time

import pytest
from sqlalchemy import inspect
from starlette.testclient import TestClient

from tests.sandbox.test_contract import SPEC, _validator
from twilio_sandbox import database
from twilio_sandbox.app import build_sandbox_app
from twilio_sandbox.credentials import master_credentials

MESSAGING_SPEC = SPEC.parent / "twilio_messaging_v1.json"
PRICING_SPEC = SPEC.parent / "twilio_pricing_v1.json"
PICTURE = "data:image/gif;base64,R0lGODlhAQABAAAAACw="


def _as_sent(schema):
    """Twilio sends prices as strings where its spec says number with
    `x-twilio: {overrideType: string}`; validate them as what is sent."""
    if isinstance(schema, list):
        return [_as_sent(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _as_sent(v) for k, v in schema.items()}
    if (schema.get("x-twilio") or {}).get("overrideType") == "string":
        out["type"] = "string"
    return out


@pytest.fixture(scope="module")
def specs():
    paths = (SPEC, MESSAGING_SPEC, PRICING_SPEC)
    if not all(p.is_file() for p in paths):
        pytest.skip("Twilio OpenAPI specs not found (shared/ beside the repository)")
    return tuple(_as_sent(json.loads(p.read_text())) for p in paths)


@pytest.fixture
def req(sqlite_db, specs, monkeypatch):
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "0.01")
    client = TestClient(build_sandbox_app())
    sid, token = master_credentials()
    auth = {"Authorization": "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode()}

    def request(method: str, path: str, status: int, **kwargs):
        response = client.request(method.upper(), path, headers=auth, **kwargs)
        assert response.status_code == status, response.text
        if status == 204:
            return None
        body = response.json()
        spec = specs[0]
        if path.startswith("/v1/"):
            spec = specs[2] if path.startswith("/v1/Messaging/") else specs[1]
        errors = list(_validator(spec, method, path.split("?")[0], status).iter_errors(body))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
        return body

    return sid, request


def test_messages_and_media_match_twilios_schemas(req):
    master, request = req
    a = f"/2010-04-01/Accounts/{master}"
    number = request(
        "post", f"{a}/IncomingPhoneNumbers.json", 201,
        data={"AreaCode": "415", "SmsUrl": "https://x.example/sms", "SmsMethod": "POST"},
    )  # fmt: skip
    assert (number["sms_url"], number["sms_method"]) == ("https://x.example/sms", "POST")
    sms = request(
        "post", f"{a}/Messages.json", 201,
        data={"To": "+12125550123", "From": number["phone_number"], "Body": "Hello €"},
    )  # fmt: skip
    mms = request(
        "post", f"{a}/Messages.json", 201,
        data={"To": "+12125550123", "From": number["phone_number"], "MediaUrl": [PICTURE]},
    )  # fmt: skip
    assert (sms["num_segments"], mms["num_media"]) == ("1", "1")
    time.sleep(0.3)  # delivered meanwhile (0.01 of real time)
    done = request("get", f"{a}/Messages/{sms['sid']}.json", 200)
    assert done["status"] == "delivered" and done["price"] == "-0.00830"
    request("get", f"{a}/Messages.json?To=%2B12125550123&PageSize=1", 200)
    media = request("get", f"{a}/Messages/{mms['sid']}/Media.json", 200)["media_list"]
    assert media[0]["content_type"] == "image/gif"
    request("get", f"{a}/Messages/{mms['sid']}/Media/{media[0]['sid']}.json", 200)
    redacted = request("post", f"{a}/Messages/{sms['sid']}.json", 200, data={"Body": ""})
    assert redacted["body"] == ""
    request("delete", f"{a}/Messages/{mms['sid']}/Media/{media[0]['sid']}.json", 204)
    request("delete", f"{a}/Messages/{sms['sid']}.json", 204)


def test_messaging_services_match_twilios_schemas(req):
    master, request = req
    a = f"/2010-04-01/Accounts/{master}"
    number = request("post", f"{a}/IncomingPhoneNumbers.json", 201, data={"AreaCode": "212"})
    service = request("post", "/v1/Services", 201, data={"FriendlyName": "Workspace"})
    request("get", f"/v1/Services/{service['sid']}", 200)
    listed = request("get", "/v1/Services?PageSize=1", 200)
    assert [s["sid"] for s in listed["services"]] == [service["sid"]]
    pn = request(
        "post", f"/v1/Services/{service['sid']}/PhoneNumbers", 201,
        data={"PhoneNumberSid": number["sid"]},
    )  # fmt: skip
    assert pn["phone_number"] == number["phone_number"] and "SMS" in pn["capabilities"]
    request("get", f"/v1/Services/{service['sid']}/PhoneNumbers", 200)
    sent = request(
        "post", f"{a}/Messages.json", 201,
        data={"To": "+12125550123", "MessagingServiceSid": service["sid"], "Body": "hi"},
    )  # fmt: skip
    assert sent["status"] == "accepted" and sent["messaging_service_sid"] == service["sid"]


def test_message_prices_match_twilios_schema(req):
    _, request = req
    prices = request("get", "/v1/Messaging/Countries/US", 200)
    assert prices["inbound_sms_prices"][0]["current_price"] == "0.0083"
    assert {p["carrier"] for p in prices["outbound_sms_prices"]} >= {"Verizon Wireless"}


def test_a_kept_sandbox_database_gains_the_new_columns(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:  # sandbox_numbers as it was before SmsMethod
        old.execute(
            "CREATE TABLE sandbox_numbers (sid VARCHAR(34) PRIMARY KEY, account_sid VARCHAR(34),"
            " phone_number VARCHAR(20), friendly_name VARCHAR(64), voice_url VARCHAR(500),"
            " voice_method VARCHAR(8), status_callback VARCHAR(500),"
            " status_callback_method VARCHAR(8), sms_url VARCHAR(500),"
            " voice_application_sid VARCHAR(34), toll_free BOOLEAN, released BOOLEAN,"
            " date_created DATETIME, date_updated DATETIME)"
        )
        old.execute(
            "INSERT INTO sandbox_numbers (sid, account_sid, phone_number, released)"
            " VALUES ('PN1', 'AC1', '+14155550100', 0)"
        )
    monkeypatch.setenv("SANDBOX_DATABASE_URL", f"sqlite:///{path}")
    engine = database.get_engine()
    columns = {c["name"] for c in inspect(engine).get_columns("sandbox_numbers")}
    assert "sms_method" in columns
    with engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT sms_method FROM sandbox_numbers").one()
    assert row == ("POST",)


def test_the_messaging_tables_work_on_postgresql(postgres_url, monkeypatch):
    """A deployment may keep the sandbox in PostgreSQL: its tables, the bytes of media,
    and a column added to a kept database, there too."""
    import sqlalchemy as sa

    from twilio_sandbox import messages_store

    admin = sa.create_engine(postgres_url)
    with admin.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS sandbox_numbers")
        conn.exec_driver_sql(
            "CREATE TABLE sandbox_numbers (sid VARCHAR(34) PRIMARY KEY, account_sid VARCHAR(34),"
            " phone_number VARCHAR(20), friendly_name VARCHAR(64), voice_url VARCHAR(500),"
            " voice_method VARCHAR(8), status_callback VARCHAR(500),"
            " status_callback_method VARCHAR(8), sms_url VARCHAR(500),"
            " voice_application_sid VARCHAR(34), toll_free BOOLEAN, released BOOLEAN,"
            " date_created TIMESTAMP, date_updated TIMESTAMP)"
        )
    monkeypatch.setenv("SANDBOX_DATABASE_URL", postgres_url)
    try:
        engine = database.get_engine()
        assert "sms_method" in {c["name"] for c in inspect(engine).get_columns("sandbox_numbers")}
        message = messages_store.create_message(
            account_sid="AC1", to="+12125550123", body="x", media=[("u", "image/gif", b"GIF")]
        )
        assert messages_store.media_of(message.sid)[0].content == b"GIF"
        assert message.sid.startswith("MM")
    finally:
        database._engines.pop(postgres_url).dispose()  # its tables go: so does its engine
        with admin.begin() as conn:
            for table in reversed(database.SandboxTable.metadata.sorted_tables):
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")
        admin.dispose()
