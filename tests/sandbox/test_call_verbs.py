"""The verbs routed calls use, played by the sandbox as Twilio's documentation describes
them: <Gather> posts Digits and FinishedOnKey to its action (or, with no key, the next
verb runs); <Redirect> fetches its URL; <Reject> ends an unanswered, unbilled call busy or
no-answer; <Dial><Number url> plays the whisper to the callee once they answer, and the
Dial's action gets DialCallStatus, DialCallSid and DialBridged (false when the whisper
hung up)."""

from __future__ import annotations

import pytest

from callplatform.telephony import sandbox_device
from callplatform.telephony.client import make_client

CALLER = "+12125550142"


@pytest.fixture
def phone(sandbox):
    """(receiver, call(keypresses) -> CallSid): a number whose voice URL is the receiver."""
    receiver, subaccount = sandbox
    creds, _ = subaccount("v")
    number = make_client(creds).incoming_phone_numbers.create(
        area_code="415", voice_url=f"{receiver.url}/voice", status_callback=f"{receiver.url}/status"
    )

    def call(keypresses: str | None = None) -> str:
        return sandbox_device.place_inbound_call(
            creds, from_=CALLER, to=number.phone_number, keypresses=keypresses
        )

    return receiver, call, creds


def test_gather_posts_digits_and_finished_on_key_or_falls_through(phone):
    receiver, call, creds = phone
    url = receiver.url
    receiver.answers.update({
        "/voice": f'<Response><Gather numDigits="1" action="{url}/one"><Say>Menu</Say></Gather>'
                  "<Say>Nothing pressed</Say></Response>",
        "/one": '<Response><Gather action="/two" timeout="2"/><Redirect>/never</Redirect></Response>',
        "/two": '<Response><Gather action="/never" timeout="1"/><Pause length="1"/>'
                '<Redirect method="POST">/silence</Redirect></Response>',
        "/silence": "<Response><Hangup/></Response>",
    })  # fmt: skip
    sid = call("47,12#9,")
    (status,) = receiver.wait_for("/status", 1)
    one, two = receiver.at("/one")[0], receiver.at("/two")[0]
    assert (one.form["Digits"], one.form["FinishedOnKey"]) == ("4", "")  # numDigits reached
    assert (two.form["Digits"], two.form["FinishedOnKey"]) == ("12", "#")
    assert receiver.signed_by(creds.auth_token, two) and two.form["CallSid"] == sid
    assert receiver.at("/never") == [] and len(receiver.at("/silence")) == 1
    assert status.form["CallStatus"] == "completed"


@pytest.mark.parametrize(("verb", "status"), [('<Reject reason="busy"/>', "busy"),
                                              ("<Reject/>", "no-answer")])  # fmt: skip
def test_reject_leaves_the_call_unanswered(phone, verb, status):
    receiver, call, _creds = phone
    receiver.answers["/voice"] = f"<Response>{verb}<Say>unreachable</Say></Response>"
    call()
    (final,) = receiver.wait_for("/status", 1)
    assert (final.form["CallStatus"], final.form["CallDuration"]) == (status, "0")


def _forward(receiver, to: str) -> None:
    receiver.answers.update({
        "/voice": f'<Response><Dial action="/dialed" timeout="5"><Number url="/whisper">{to}'
                  "</Number></Dial></Response>",
        "/whisper": '<Response><Gather numDigits="1" action="/accept" timeout="2">'
                    "<Say>Call for Sales, press 1 to accept.</Say></Gather><Hangup/></Response>",
        "/accept": "<Response/>",
    })  # fmt: skip


def test_a_whisper_accepted_bridges_the_call(phone):
    receiver, call, _creds = phone
    _forward(receiver, "+14155550123")
    sid = call()
    (dialed,) = receiver.wait_for("/dialed", 1)
    (whisper,) = receiver.at("/whisper")
    assert whisper.form["ParentCallSid"] == sid and whisper.form["To"] == "+14155550123"
    assert receiver.at("/accept")[0].form["Digits"] == "1"
    form = dialed.form
    assert (form["DialCallStatus"], form["DialBridged"], form["DialCallDuration"]) == (
        "completed", "true", str(5 + 23 % 20))  # fmt: skip
    assert form["DialCallSid"].startswith("CA") and form["DialCallSid"] != sid


@pytest.mark.parametrize(("to", "accepts", "status"), [
    ("+14155550104", None, "completed"),  # answers, presses nothing: the whisper hangs up
    ("+14155550105", "2", "completed"),  # presses 2: our answer hangs up
    ("+14155550101", None, "busy"),  # never answers: no whisper at all
])  # fmt: skip
def test_a_whisper_declined_or_never_heard_does_not_bridge(phone, to, accepts, status):
    receiver, call, _creds = phone
    _forward(receiver, to)
    receiver.answers["/accept"] = "<Response><Hangup/></Response>"
    call()
    (dialed,) = receiver.wait_for("/dialed", 1)
    assert (dialed.form["DialCallStatus"], dialed.form["DialBridged"]) == (status, "false")
    assert [r.form["Digits"] for r in receiver.at("/accept")] == ([accepts] if accepts else [])
    assert len(receiver.at("/whisper")) == (0 if status == "busy" else 1)
