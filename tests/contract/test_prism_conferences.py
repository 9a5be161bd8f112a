"""Hold and transfer's requests (live calls moved, conferences and their participants),
proven against Twilio's spec by Prism."""

from __future__ import annotations

from callplatform.telephony import gateway
from callplatform.telephony.types import CallInfo
from tests.contract.test_prism_contract import _assert_declared

CA_SID = "CA" + "0123456789abcdef" * 2
CF_SID = "CF" + "0123456789abcdef" * 2
HOOK = "https://calls.example.com/api/twilio/status#rc=3&rp=5xx,ct,rt"
ROOM = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Conference>cp-' + CA_SID
    + "</Conference></Dial></Response>"
)  # fmt: skip


def test_move_call(twilio_at_prism, spec):
    assert isinstance(gateway.move_call(twilio_at_prism, sid=CA_SID, twiml=ROOM), CallInfo)
    _assert_declared(spec, twilio_at_prism)


def test_live_child_calls(twilio_at_prism, spec):
    legs = gateway.live_child_calls(twilio_at_prism, parent_sid=CA_SID)
    assert all(isinstance(c, CallInfo) for c in legs)
    _assert_declared(spec, twilio_at_prism)


def test_find_conference(twilio_at_prism, spec):
    found = gateway.find_conference(twilio_at_prism, name="cp-" + CA_SID)
    assert found is None or found.startswith("CF")
    _assert_declared(spec, twilio_at_prism)


def test_add_participant(twilio_at_prism, spec):
    for to in ("+16465550142", "client:user-7"):
        added = gateway.add_participant(
            twilio_at_prism,
            conference_sid=CF_SID,
            from_="+14155550100",
            to=to,
            label="transfer",
            status_callback=HOOK,
            end_conference_on_exit=True,
        )
        assert isinstance(added, gateway.ParticipantInfo)
        _assert_declared(spec, twilio_at_prism)


def test_hold_and_resume_participant(twilio_at_prism, spec):
    for hold in (True, False):
        info = gateway.hold_participant(
            twilio_at_prism,
            conference_sid=CF_SID,
            call_sid=CA_SID,
            hold=hold,
            hold_url="https://calls.example.com/api/twilio/conference/hold-music#rc=3",
        )
        assert isinstance(info, gateway.ParticipantInfo)
        _assert_declared(spec, twilio_at_prism)


def test_remove_participant(twilio_at_prism, spec):
    gateway.remove_participant(twilio_at_prism, conference_sid=CF_SID, call_sid=CA_SID)
    _assert_declared(spec, twilio_at_prism)


def test_end_conference(twilio_at_prism, spec):
    gateway.end_conference(twilio_at_prism, conference_sid=CF_SID)
    _assert_declared(spec, twilio_at_prism)
