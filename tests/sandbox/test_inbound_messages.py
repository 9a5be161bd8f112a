"""Messages arriving at the numbers the sandbox sold, as Twilio delivers them: the
number's SmsUrl gets Twilio's parameters, signed; a number's own user texting another
sandbox number reaches it; a `<Message>` answer is sent back; STOP blocks (21610) and
START unblocks; Messaging Services send from their pool and take their inbound webhook."""

from __future__ import annotations

import base64

import httpx
import pytest
from twilio.base.exceptions import TwilioRestException

from callplatform.telephony.client import make_client
from tests.sandbox.test_messages import PICTURE, PIXEL, _messages

OUTSIDER = "+16465550142"


def _text_in(live_api, creds, *, to: str, body: str, media=()) -> httpx.Response:
    """Someone out in the world texts `to` (the sandbox's door for it)."""
    auth = "Basic " + base64.b64encode(f"{creds.sid}:{creds.auth_token}".encode()).decode()
    data = {"From": OUTSIDER, "To": to, "Body": body, "MediaUrl": list(media)}
    return httpx.post(
        f"{live_api}/_sandbox/twilio/sandbox/Accounts/{creds.sid}/IncomingMessages.json",
        data=data,
        headers={"Authorization": auth},
    )


def test_an_inbound_mms_reaches_the_numbers_sms_url_signed(sandbox, live_api):
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    answer = _text_in(live_api, a, to=number, body="Hi there", media=[PICTURE])
    assert answer.status_code == 201, answer.text
    (hook,) = receiver.wait_for("/sms/a", 1)
    assert receiver.signed_by(a.auth_token, hook)
    form = hook.form
    assert (form["From"], form["To"], form["Body"]) == (OUTSIDER, number, "Hi there")
    assert form["AccountSid"] == a.sid and form["ApiVersion"] == "2010-04-01"
    assert form["MessageSid"] == form["SmsSid"] == form["SmsMessageSid"] == answer.json()["sid"]
    assert form["MessageSid"].startswith("MM") and form["SmsStatus"] == "received"
    assert (form["NumMedia"], form["NumSegments"]) == ("1", "1")
    assert form["MediaContentType0"] == "image/png"
    # The media URL is Twilio's, served with the account's credentials.
    path = form["MediaUrl0"].removeprefix("https://api.twilio.com")
    assert form["MediaUrl0"].startswith("https://api.twilio.com/2010-04-01/Accounts/")
    content = httpx.get(f"{live_api}/_sandbox/twilio{path}", auth=(a.sid, a.auth_token))
    assert content.content == PIXEL and content.headers["content-type"] == "image/png"
    assert httpx.get(f"{live_api}/_sandbox/twilio{path}").status_code == 401
    (stored,) = _messages(a).list(to=number)
    assert (stored.direction, stored.status, stored.from_) == ("inbound", "received", OUTSIDER)


def test_only_the_owner_can_inject_to_its_number(sandbox, live_api):
    _, subaccount = sandbox
    a, number = subaccount("a")
    b, _ = subaccount("b")
    assert _text_in(live_api, b, to=number, body="x").status_code == 404
    assert _text_in(live_api, a, to="+14155550198", body="x").status_code == 404


def test_two_sandbox_numbers_text_each_other_with_a_picture(sandbox):
    receiver, subaccount = sandbox
    a, number_a = subaccount("a")
    b, number_b = subaccount("b")
    sent = _messages(a).create(
        to=number_b, from_=number_a, body="Photo!", media_url=[PICTURE],
        status_callback=f"{receiver.url}/status",
    )  # fmt: skip
    (hook,) = receiver.wait_for("/sms/b", 1)
    assert receiver.signed_by(b.auth_token, hook)  # B's account, B's token
    assert (hook.form["From"], hook.form["To"], hook.form["Body"]) == (number_a, number_b, "Photo!")
    assert hook.form["NumMedia"] == "1" and hook.form["AccountSid"] == b.sid
    statuses = [c.form["MessageStatus"] for c in receiver.wait_for("/status", 3)]
    assert statuses == ["queued", "sent", "delivered"]
    (received,) = _messages(b).list(from_=number_a)
    assert received.sid != sent.sid and received.direction == "inbound"
    assert received.media.list()[0].content_type == "image/png"
    assert [m.sid for m in _messages(a).list()] == [sent.sid]  # A's side only has its send


def test_a_message_verb_in_the_answer_is_sent_back(sandbox, live_api):
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    receiver.answers["/sms/a"] = (
        '<?xml version="1.0"?><Response><Message statusCallback="'
        f'{receiver.url}/reply">Thanks, we got it</Message></Response>'
    )
    _text_in(live_api, a, to=number, body="HELP")
    statuses = [c.form["MessageStatus"] for c in receiver.wait_for("/reply", 3)]
    assert statuses == ["queued", "sent", "delivered"]
    (reply,) = [m for m in _messages(a).list() if m.direction == "outbound-reply"]
    assert (reply.from_, reply.to, reply.body) == (number, OUTSIDER, "Thanks, we got it")


@pytest.mark.parametrize("stop", ["STOP", "stop", " Unsubscribe. ", "quit"])
def test_stop_blocks_sends_until_start(sandbox, live_api, stop):
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    other_number = make_client(a).incoming_phone_numbers.create(area_code="212").phone_number
    _text_in(live_api, a, to=number, body=stop)
    receiver.wait_for("/sms/a", 1)  # the STOP itself is still passed on
    with pytest.raises(TwilioRestException) as caught:
        _messages(a).create(to=OUTSIDER, from_=number, body="Still there?")
    assert (caught.value.status, caught.value.code) == (400, 21610)
    # The block is per sending number, as Twilio keeps it.
    assert _messages(a).create(to=OUTSIDER, from_=other_number, body="x").status == "queued"
    _text_in(live_api, a, to=number, body="STOP please")  # not a keyword: no change
    _text_in(live_api, a, to=number, body="start")
    assert _messages(a).create(to=OUTSIDER, from_=number, body="Welcome back").status == "queued"


def test_a_messaging_service_sends_from_its_pool(sandbox, live_api):
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    api = make_client(a)
    service = api.messaging.v1.services.create(
        friendly_name="Workspace 1", status_callback=f"{receiver.url}/svc-status",
        inbound_request_url=f"{receiver.url}/svc-in",
    )  # fmt: skip
    assert service.sid.startswith("MG") and service.account_sid == a.sid
    with pytest.raises(TwilioRestException) as caught:
        _messages(a).create(to=OUTSIDER, messaging_service_sid=service.sid, body="x")
    assert caught.value.code == 21704  # no numbers yet
    pn = api.incoming_phone_numbers.list(phone_number=number)[0].sid
    added = api.messaging.v1.services(service.sid).phone_numbers.create(phone_number_sid=pn)
    assert (added.sid, added.phone_number, added.service_sid) == (pn, number, service.sid)
    with pytest.raises(TwilioRestException) as caught:
        api.messaging.v1.services(service.sid).phone_numbers.create(phone_number_sid=pn)
    assert caught.value.code == 21710
    sent = _messages(a).create(to=OUTSIDER, messaging_service_sid=service.sid, body="hello")
    assert sent.status == "accepted" and sent.from_ is None
    assert sent.messaging_service_sid == service.sid
    callbacks = receiver.wait_for("/svc-status", 3)  # the service's status callback
    assert [c.form["MessageStatus"] for c in callbacks] == ["queued", "sent", "delivered"]
    assert {c.form["From"] for c in callbacks} == {number}
    assert {c.form["MessagingServiceSid"] for c in callbacks} == {service.sid}
    _text_in(live_api, a, to=number, body="in")  # the service's inbound URL takes it
    (hook,) = receiver.wait_for("/svc-in", 1)
    assert hook.form["MessagingServiceSid"] == service.sid
    assert receiver.at("/sms/a") == []
    assert [s.sid for s in api.messaging.v1.services.list()] == [service.sid]
    assert api.messaging.v1.services(service.sid).fetch().friendly_name == "Workspace 1"
    b, _ = subaccount("b")
    with pytest.raises(TwilioRestException) as caught:
        make_client(b).messaging.v1.services(service.sid).fetch()
    assert (caught.value.status, caught.value.code) == (404, 20404)
    with pytest.raises(TwilioRestException) as caught:
        _messages(b).create(to=OUTSIDER, messaging_service_sid=service.sid, body="x")
    assert caught.value.code == 21701


def test_list_filters_pages_and_deletes(sandbox):
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    sids = [
        _messages(a)
        .create(to=to, from_=number, body=str(i), status_callback=f"{receiver.url}/{i}")
        .sid
        for i, to in enumerate([OUTSIDER, OUTSIDER, "+12125550123"])
    ]
    for i in range(3):
        receiver.wait_for(f"/{i}", 3)
    assert [m.sid for m in _messages(a).list(to=OUTSIDER)] == sids[1::-1]  # newest first
    assert len(_messages(a).list(from_=number)) == 3
    today = _messages(a)(sids[0]).fetch().date_sent.date()
    assert len(_messages(a).list(date_sent=today)) == 3
    assert _messages(a).list(date_sent_before=today.replace(year=2020)) == []
    first = _messages(a).page(page_size=2)
    assert len(list(first)) == 2 and first.next_page_url
    assert len(list(first.next_page())) == 1
    _messages(a)(sids[2]).delete()
    with pytest.raises(TwilioRestException) as caught:
        _messages(a)(sids[2]).fetch()
    assert (caught.value.status, caught.value.code) == (404, 20404)


def test_a_message_in_flight_cannot_be_deleted(sandbox, monkeypatch):
    _, subaccount = sandbox
    a, number = subaccount("a")
    monkeypatch.setenv("SANDBOX_TIME_SCALE", "1")  # 1.5 s in flight, real time
    sent = _messages(a).create(to=OUTSIDER, from_=number, body="slow")
    with pytest.raises(TwilioRestException) as caught:
        _messages(a)(sent.sid).delete()
    assert (caught.value.status, caught.value.code) == (400, 20009)


def test_a_sold_number_receives_whatever_its_last_digits(sandbox):
    """…0105 is unreachable out in the world, but a number the sandbox sold always takes
    its messages, so any two of its users can text each other."""
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    b, _ = subaccount("b")
    unlucky = "+14155550105"
    make_client(b).incoming_phone_numbers.create(
        phone_number=unlucky, sms_url=f"{receiver.url}/sms/unlucky"
    )
    _messages(a).create(to=unlucky, from_=number, body="hi", status_callback=f"{receiver.url}/s")
    assert receiver.wait_for("/sms/unlucky", 1)[0].form["Body"] == "hi"
    assert [c.form["MessageStatus"] for c in receiver.wait_for("/s", 3)] == [
        "queued",
        "sent",
        "delivered",
    ]
