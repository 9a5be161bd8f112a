"""The gateway's messaging requests, proven against Twilio's spec: messages on the 2010
API's Prism, Messaging Services on a Prism of messaging v1, prices on one of pricing v1."""

from __future__ import annotations

import pytest

from callplatform.telephony import gateway
from callplatform.telephony.client import make_client
from callplatform.telephony.errors import NotFound
from callplatform.telephony.types import MessageInfo, MessagingServiceInfo
from tests.contract.test_prism_contract import _assert_declared

SM_SID = "SM" + "0123456789abcdef" * 2
MG_SID = "MG" + "0123456789abcdef" * 2
PN_SID = "PN" + "0123456789abcdef" * 2
CALLBACK = "https://calls.example.com/api/twilio/sms/status#rc=3&rp=5xx,ct,rt"


def test_send_an_sms_from_a_number(twilio_at_prism, spec):
    info = gateway.send_message(
        twilio_at_prism,
        to="+16465550142",
        from_="+14155550100",
        body="Your table is ready 🍽",
        status_callback=CALLBACK,
    )
    assert isinstance(info, MessageInfo)
    _assert_declared(spec, twilio_at_prism)


def test_send_an_mms_through_a_messaging_service(twilio_at_prism, spec):
    info = gateway.send_message(
        twilio_at_prism,
        to="+16465550142",
        messaging_service_sid=MG_SID,
        media_urls=[
            "https://calls.example.com/api/media/outbound/1.jpg",
            "https://calls.example.com/api/media/outbound/2.png",
        ],
        status_callback=CALLBACK,
    )
    assert isinstance(info, MessageInfo)
    _assert_declared(spec, twilio_at_prism)
    sent = make_client(twilio_at_prism).http_client._test_only_last_request
    assert len(sent.data["MediaUrl"]) == 2  # repeated, as the spec's array says


def test_fetch_a_message(twilio_at_prism, spec):
    assert isinstance(gateway.fetch_message(twilio_at_prism, sid=SM_SID), MessageInfo)
    _assert_declared(spec, twilio_at_prism)


def test_create_a_messaging_service(twilio_at_messaging_prism, messaging_spec):
    info = gateway.create_messaging_service(
        twilio_at_messaging_prism,
        friendly_name="Workspace 12",
        inbound_request_url="https://calls.example.com/api/twilio/sms",
        status_callback="https://calls.example.com/api/twilio/sms/status",
    )
    assert isinstance(info, MessagingServiceInfo)
    _assert_declared(messaging_spec, twilio_at_messaging_prism)
    gateway.create_messaging_service(twilio_at_messaging_prism, friendly_name="Bare")
    _assert_declared(messaging_spec, twilio_at_messaging_prism)


def test_add_a_number_to_a_service(twilio_at_messaging_prism, messaging_spec):
    gateway.add_number_to_service(twilio_at_messaging_prism, service_sid=MG_SID, number_sid=PN_SID)
    _assert_declared(messaging_spec, twilio_at_messaging_prism)


def test_misuse_is_refused_before_any_request(twilio_at_prism):
    with pytest.raises(ValueError):
        gateway.send_message(twilio_at_prism, to="+16465550142", body="no sender")
    with pytest.raises(ValueError):
        gateway.send_message(twilio_at_prism, to="+16465550142", from_="+14155550100")
    with pytest.raises(ValueError):
        gateway.send_message(
            twilio_at_prism, to="+1646555014", from_="+14155550100", media_urls=["u"] * 11
        )


def test_message_price(twilio_at_pricing_prism, pricing_spec):
    # Prism answers with the spec's example, whose only number type is "mobile": the
    # request is what is proven here; reading prices is proven against the sandbox.
    with pytest.raises(NotFound) as caught:
        gateway.message_price(twilio_at_pricing_prism, country="US")
    assert "no local SMS price" in str(caught.value)  # ours, read from a 200
    assert (
        make_client(twilio_at_pricing_prism).http_client._test_only_last_response.status_code == 200
    )
    _assert_declared(pricing_spec, twilio_at_pricing_prism)
