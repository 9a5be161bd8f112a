"""The TwiML our voice webhook answers with, parsed and checked verb by verb."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from callplatform.telephony import twiml


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 - our own output


def test_recorded_outbound_dial_announces_to_both_sides():
    root = parse(
        twiml.dial_number(
            caller_id="+14155550100",
            number="+12125550123",
            record=True,
            announce_recording=True,
            status_callback="https://x/status",
            recording_status_callback="https://x/rec",
            notice_url="https://x/notice",
        )
    )
    say, dial = list(root)
    assert say.tag == "Say" and "recorded" in say.text  # the caller, before dialling
    assert dial.get("callerId") == "+14155550100"
    assert dial.get("record") == "record-from-answer-dual"
    assert dial.get("recordingStatusCallback") == "https://x/rec"
    number = dial.find("Number")
    assert number.text == "+12125550123" and number.get("url") == "https://x/notice"  # callee
    assert number.get("statusCallbackEvent") == "initiated ringing answered completed"
    assert parse(twiml.notice()).find("Say").text == twiml.RECORDING_NOTICE


def test_unrecorded_dial_says_nothing_and_records_nothing():
    root = parse(
        twiml.dial_number(
            caller_id="+14155550100",
            number="+12125550123",
            record=False,
            announce_recording=False,
            status_callback="https://x/status",
            recording_status_callback="https://x/rec",
            notice_url="https://x/notice",
        )
    )
    (dial,) = list(root)
    assert dial.get("record") == "do-not-record" and dial.find("Number").get("url") is None


def test_inbound_rings_the_client_then_voicemail_then_refusal():
    dial = parse(
        twiml.dial_client(
            identities=["user-7", "user-9"],
            caller_id="+12125550100",
            timeout=20,
            action="https://x/after",
            record=False,
            announce_recording=False,
            recording_status_callback="https://x/rec",
        )
    )
    # every browser it rings, together: the first to answer takes the call
    assert [c.text for c in dial.findall("Dial/Client")] == ["user-7", "user-9"]
    assert dial.find("Dial").get("action") == "https://x/after"
    vm = parse(twiml.voicemail(greeting="Leave a message", recording_status_callback="https://x/r"))
    assert [v.tag for v in vm] == ["Say", "Record", "Hangup"]
    assert vm.find("Record").get("recordingStatusCallback") == "https://x/r"
    refused = parse(twiml.refuse(message="Calls to premium-rate numbers are blocked."))
    assert [v.tag for v in refused] == ["Say", "Hangup"]


def test_message_reply():
    assert parse(twiml.message_reply()).tag == "Response"
    assert list(parse(twiml.message_reply())) == []
    reply = parse(twiml.message_reply("Reply STOP to opt out. <Msg & data rates may apply>"))
    (message,) = list(reply)
    assert message.tag == "Message"
    assert message.text == "Reply STOP to opt out. <Msg & data rates may apply>"
