"""The sandbox's Messages resource as Twilio documents it, over real HTTP with the
official SDK: statuses in order in signed status callbacks, outcomes and error codes by
destination, MMS media, inbound messages to the numbers it sold, the STOP blocklist,
Messaging Services, and accounts that see only their own messages."""

from __future__ import annotations

import base64

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException

from callplatform.telephony.client import make_client
from callplatform.telephony.types import AccountCredentials
from twilio_sandbox.credentials import master_credentials

PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
PICTURE = "data:image/png;base64," + base64.b64encode(PIXEL).decode()
ELSEWHERE = "+12125550199"  # not a sandbox number: delivered


def _messages(creds: AccountCredentials):
    return make_client(creds).api.v2010.accounts(creds.sid).messages


def _refused(call) -> TwilioRestException:
    with pytest.raises(TwilioRestException) as caught:
        call()
    return caught.value


def test_an_sms_goes_queued_sent_delivered_in_signed_callbacks(sandbox):
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    body = "x" * 161  # two segments
    sent = _messages(a).create(
        to=ELSEWHERE, from_=number, body=body, status_callback=f"{receiver.url}/status"
    )
    assert sent.sid.startswith("SM") and sent.status == "queued"
    assert (sent.direction, sent.from_, sent.to, sent.body) == (
        "outbound-api",
        number,
        ELSEWHERE,
        body,
    )
    assert sent.num_segments == "2" and sent.num_media == "0" and sent.price is None
    callbacks = receiver.wait_for("/status", 3)
    assert [c.form["MessageStatus"] for c in callbacks] == ["queued", "sent", "delivered"]
    for c in callbacks:
        assert receiver.signed_by(a.auth_token, c)
        assert not receiver.signed_by(master_credentials()[1], c)
        assert c.form["MessageSid"] == c.form["SmsSid"] == sent.sid
        assert c.form["SmsStatus"] == c.form["MessageStatus"]
        assert (c.form["AccountSid"], c.form["From"], c.form["To"]) == (a.sid, number, ELSEWHERE)
        assert c.form["ApiVersion"] == "2010-04-01" and "ErrorCode" not in c.form
    assert "RawDlrDoneDate" in callbacks[2].form
    done = _messages(a)(sent.sid).fetch()
    assert done.status == "delivered" and done.error_code is None
    assert done.price == "-0.01660" and done.date_sent is not None


@pytest.mark.parametrize(
    ("tail", "statuses", "code"),
    [
        ("0104", ["queued", "sent", "undelivered"], 30005),
        ("0105", ["queued", "sent", "undelivered"], 30003),
        ("0106", ["queued", "sent", "undelivered"], 30006),
        ("0107", ["queued", "sent", "undelivered"], 30007),
        ("0108", ["queued", "failed"], 30008),
    ],
)
def test_the_destination_decides_the_outcome(sandbox, tail, statuses, code):
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    sent = _messages(a).create(
        to=f"+1212555{tail}", from_=number, body="hi", status_callback=f"{receiver.url}/st"
    )
    callbacks = receiver.wait_for("/st", len(statuses))
    assert [c.form["MessageStatus"] for c in callbacks] == statuses
    assert callbacks[-1].form["ErrorCode"] == str(code)
    assert all("ErrorCode" not in c.form for c in callbacks[:-1])
    done = _messages(a)(sent.sid).fetch()
    assert (done.status, done.error_code) == (statuses[-1], code)
    assert done.error_message
    # Twilio charges what it sent, not what failed before leaving.
    assert (done.price is None) == (statuses[-1] == "failed")


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"to": "12125550199", "body": "hi"}, 400, 21211),
        ({"to": ELSEWHERE}, 400, 21619),
        ({"to": ELSEWHERE, "body": "x" * 1601}, 400, 21617),
        ({"to": "+442071838750", "body": "hi"}, 400, 21408),
        ({"to": ELSEWHERE, "body": "hi", "from_": "+14155550199"}, 400, 21606),
        ({"to": ELSEWHERE, "body": "hi", "from_": None}, 400, 21603),
    ],
)
def test_refused_sends_carry_twilios_codes(sandbox, params, status, code):
    _, subaccount = sandbox
    a, number = subaccount("a")
    params = {"from_": number, **params}
    if params["from_"] is None:
        del params["from_"]
    error = _refused(lambda: _messages(a).create(**params))
    assert (error.status, error.code) == (status, code)


def test_a_subaccount_sees_only_its_own_messages(sandbox):
    _, subaccount = sandbox
    a, number_a = subaccount("a")
    b, _ = subaccount("b")
    mine = _messages(a).create(to=ELSEWHERE, from_=number_a, body="private")
    error = _refused(lambda: _messages(b)(mine.sid).fetch())
    assert (error.status, error.code) == (404, 20404)
    error = _refused(lambda: _messages(b)(mine.sid).delete())
    assert (error.status, error.code) == (404, 20404)
    assert [m.sid for m in _messages(b).list()] == []
    foreign = make_client(b).api.v2010.accounts(a.sid).messages(mine.sid)
    error = _refused(foreign.fetch)
    assert (error.status, error.code) == (401, 20003)
    with pytest.raises(TwilioException) as caught:  # .list() raises the bare kind
        _messages(b)(mine.sid).media.list()
    assert caught.value.args[1].status_code == 404
    # and B's number is not A's to send from
    error = _refused(lambda: _messages(b).create(to=ELSEWHERE, from_=number_a, body="x"))
    assert error.code == 21606


def test_an_mms_keeps_its_media(sandbox):
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    sent = _messages(a).create(
        to=ELSEWHERE,
        from_=number,
        body="look",
        media_url=[PICTURE, PICTURE],
        status_callback=f"{receiver.url}/mms",
    )
    assert sent.sid.startswith("MM") and sent.num_media == "2"
    receiver.wait_for("/mms", 3)
    media = _messages(a)(sent.sid).media.list()
    assert [m.content_type for m in media] == ["image/png", "image/png"]
    assert {m.parent_sid for m in media} == {sent.sid}
    one = _messages(a)(sent.sid).media(media[0].sid).fetch()
    assert one.sid == media[0].sid and one.sid.startswith("ME")
    assert _messages(a)(sent.sid).fetch().price == "-0.02200"


def test_a_media_url_that_cannot_be_fetched_fails_the_message(sandbox):
    receiver, subaccount = sandbox
    a, number = subaccount("a")
    sent = _messages(a).create(
        to=ELSEWHERE,
        from_=number,
        media_url=["http://127.0.0.1:9/nothing.png"],
        status_callback=f"{receiver.url}/bad",
    )
    callbacks = receiver.wait_for("/bad", 2)
    assert [c.form["MessageStatus"] for c in callbacks] == ["queued", "failed"]
    assert _messages(a)(sent.sid).fetch().error_code == 11200


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("a" * 160, "1"),
        ("a" * 161, "2"),
        ("{" * 80, "1"),  # extension characters: two septets each
        ("a" * 152 + "€" + "a" * 152, "3"),  # the escape pair never straddles two parts
        ("ж" * 70, "1"),
        ("ж" * 71, "2"),
        ("ж" * 66 + "😀" + "ж" * 66, "3"),  # nor does a surrogate pair
    ],
)
def test_num_segments_as_carriers_count_them(sandbox, body, segments):
    _, subaccount = sandbox
    a, number = subaccount("a")
    assert _messages(a).create(to=ELSEWHERE, from_=number, body=body).num_segments == segments
