"""The gateway's messaging functions against the sandbox, over real HTTP: what they
return, and Twilio's refusals translated as the other gateway functions translate them."""

from __future__ import annotations

import base64

import httpx
import pytest

from callplatform.telephony import gateway
from callplatform.telephony.client import make_client
from callplatform.telephony.errors import (
    InvalidNumber,
    NotFound,
    NotPermitted,
    RecipientOptedOut,
    TelephonyError,
)
from tests.sandbox.test_messages import PICTURE, PIXEL


def test_send_fetch_and_refusals(sandbox, live_api):
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    sent = gateway.send_message(
        a, to="+12125550123", from_=number, body="Hi €", status_callback=f"{receiver.url}/s"
    )
    assert (sent.status, sent.from_number, sent.num_segments, sent.num_media) == (
        "queued",
        number,
        1,
        0,
    )
    receiver.wait_for("/s", 3)
    done = gateway.fetch_message(a, sid=sent.sid)
    assert done.status == "delivered" and str(done.price) == "-0.00830" and done.error_code is None

    with pytest.raises(InvalidNumber) as caught:
        gateway.send_message(a, to="2125550123", from_=number, body="x")
    assert caught.value.code == 21211 and caught.value.param == "To"
    with pytest.raises(NotPermitted) as caught:
        gateway.send_message(a, to="+442071838750", from_=number, body="x")
    assert caught.value.code == 21408 and "not enabled" in caught.value.user_message
    with pytest.raises(NotFound):
        gateway.fetch_message(a, sid="SM" + "0" * 32)

    # A recipient who texted STOP: Twilio's 21610, its own error class and words.
    auth = "Basic " + base64.b64encode(f"{a.sid}:{a.auth_token}".encode()).decode()
    httpx.post(
        f"{live_api}/_sandbox/twilio/sandbox/Accounts/{a.sid}/IncomingMessages.json",
        data={"From": "+12125550123", "To": number, "Body": "STOP"},
        headers={"Authorization": auth},
    )
    with pytest.raises(RecipientOptedOut) as caught:
        gateway.send_message(a, to="+12125550123", from_=number, body="x")
    assert caught.value.code == 21610 and "opted out" in caught.value.user_message


def test_messaging_service_and_its_numbers(sandbox):
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    service = gateway.create_messaging_service(
        a, friendly_name="Workspace", status_callback=f"{receiver.url}/svc"
    )
    assert service.sid.startswith("MG") and service.account_sid == a.sid
    pn = make_client(a).incoming_phone_numbers.list(phone_number=number)[0].sid
    gateway.add_number_to_service(a, service_sid=service.sid, number_sid=pn)
    gateway.add_number_to_service(a, service_sid=service.sid, number_sid=pn)  # a repeat is fine
    other = gateway.create_messaging_service(a, friendly_name="Other")
    with pytest.raises(TelephonyError) as caught:
        gateway.add_number_to_service(a, service_sid=other.sid, number_sid=pn)
    assert caught.value.code == 21712
    sent = gateway.send_message(
        a, to="+12125550123", messaging_service_sid=service.sid, media_urls=[PICTURE]
    )
    assert sent.status == "accepted" and sent.from_number is None and sent.num_media == 1
    assert sent.messaging_service_sid == service.sid
    receiver.wait_for("/svc", 3)
    assert gateway.fetch_message(a, sid=sent.sid).from_number == number


def test_message_price_per_segment(sandbox):
    _, subaccount = sandbox
    a, _ = subaccount("a")
    price = gateway.message_price(a, country="us")
    assert (str(price.outbound_per_segment), str(price.inbound_per_segment), price.unit) == (
        "0.0083",
        "0.0083",
        "USD",
    )
    assert gateway.message_price(a, country="CA", toll_free=True).outbound_per_segment
    with pytest.raises(NotFound):
        gateway.message_price(a, country="GB")


def test_inbound_media_is_fetched_with_the_accounts_credentials_only(sandbox, live_api):
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    b, _ = subaccount("b")
    auth = "Basic " + base64.b64encode(f"{a.sid}:{a.auth_token}".encode()).decode()
    httpx.post(
        f"{live_api}/_sandbox/twilio/sandbox/Accounts/{a.sid}/IncomingMessages.json",
        data={"From": "+12125550123", "To": number, "Body": "pic", "MediaUrl": PICTURE},
        headers={"Authorization": auth},
    )
    (hook,) = receiver.wait_for("/sms/a", 1)
    url = hook.form["MediaUrl0"]
    content, kind = gateway.fetch_message_media(a, url=url)
    assert content == PIXEL and kind == "image/png"
    # Another account's media, or anything not Twilio's, is never fetched with our token.
    for wrong in (
        url.replace("https://", "http://"),
        url.replace("api.twilio.com", "evil.example"),
        url.replace(f"/Accounts/{a.sid}/", f"/Accounts/{b.sid}/"),
        f"https://api.twilio.com/2010-04-01/Accounts/{a.sid}/Recordings/RE1",
        f"https://api.twilio.com/2010-04-01/Accounts/{a.sid}/Messages/../../Calls/Media/x",
    ):
        with pytest.raises(NotFound):  # gone, as far as the caller is concerned
            gateway.fetch_message_media(a, url=wrong)
    with pytest.raises(NotFound):
        gateway.fetch_message_media(a, url=url[:-4] + "0000")
    # B's credentials on B's account path cannot read A's media either (404, not content).
    with pytest.raises(NotFound):
        gateway.fetch_message_media(
            b, url=url.replace(f"/Accounts/{a.sid}/", f"/Accounts/{b.sid}/")
        )
