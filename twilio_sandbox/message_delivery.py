"""Plays the carrier's part for messages: an outbound message goes queued -> sent ->
delivered (or undelivered/failed with the error its destination calls for), each step
POSTed to its status callback signed with the account's token; a message to a number the
sandbox sold arrives there as an inbound message, POSTed to the number's SmsUrl with
Twilio's parameters, and a `<Message>` in the TwiML answer is sent back as a reply.
STOP/START from the far end update the blocklist Twilio keeps (21610)."""

from __future__ import annotations

import logging
import threading
import time
import xml.etree.ElementTree as ET

from twilio_sandbox import message_shapes, settings
from twilio_sandbox import messages_store as store
from twilio_sandbox.database import read_scope
from twilio_sandbox.message_models import SandboxMessagingService, SandboxServiceNumber
from twilio_sandbox.models import SandboxAccount, SandboxNumber, now
from twilio_sandbox.phone_line import post

API = "2010-04-01"
OPT_OUT = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
OPT_IN = {"START", "YES", "UNSTOP"}
SENT_AFTER, REPORT_AFTER = 0.5, 1.0  # seconds, scaled by SANDBOX_TIME_SCALE


_running: set[threading.Thread] = set()


def start(target, **kwargs) -> None:
    """Run `target` on a thread of its own; a failure is logged, never raised."""

    def guarded() -> None:
        try:
            target(**kwargs)
        except Exception:  # noqa: BLE001 - a simulated delivery must never take the server down
            logging.getLogger(__name__).exception("sandbox message delivery failed")
        finally:
            _running.discard(threading.current_thread())

    thread = threading.Thread(target=guarded, daemon=True)
    _running.add(thread)
    thread.start()


def wait_idle(timeout: float = 10.0) -> None:
    """Until every delivery under way has finished (tests: none outlives its test and
    lands in the next one's database)."""
    deadline = time.monotonic() + timeout
    for thread in list(_running):
        thread.join(max(0.0, deadline - time.monotonic()))


def _wait(seconds: float) -> None:
    time.sleep(seconds * settings.time_scale())


def _token(account_sid: str) -> str:
    with read_scope() as s:
        return s.get(SandboxAccount, account_sid).auth_token


def _status_params(message, status: str) -> dict[str, str]:
    params = {
        "AccountSid": message.account_sid,
        "ApiVersion": API,
        "From": message.from_ or "",
        "To": message.to,
        "MessageSid": message.sid,
        "MessageStatus": status,
        "SmsSid": message.sid,
        "SmsStatus": status,
    }
    if message.messaging_service_sid:
        params["MessagingServiceSid"] = message.messaging_service_sid
    if message.error_code and status in ("failed", "undelivered"):
        params["ErrorCode"] = str(message.error_code)
    if status in ("delivered", "undelivered"):
        params["RawDlrDoneDate"] = now().strftime("%y%m%d%H%M")
    return params


def send(message, *, pool: list[str] | None = None) -> None:
    start(_run_outbound, message=message, pool=pool or [])


def _run_outbound(*, message, pool: list[str]) -> None:
    token = _token(message.account_sid)
    callback = message.status_callback
    if message.status == "accepted":  # through a Messaging Service: pick its sender
        message = store.update(message.sid, from_=pool[0], status="queued")
    post(callback, _status_params(message, "queued"), token)
    fate = store.fate_for(message.to)
    media = store.media_of(message.sid)
    for item in media:
        if item.content is None:  # Twilio fetches each MediaUrl before sending
            try:
                store.attach(item.sid, *store.fetch_media(item.source_url))
            except ValueError:
                fate = store.Fate("failed", 11200, "HTTP retrieval failure")
    _wait(SENT_AFTER)
    if fate.final == "failed":
        message = store.update(
            message.sid, status="failed", error_code=fate.error_code,
            error_message=fate.error_message,
        )  # fmt: skip
        post(callback, _status_params(message, "failed"), token)
        return
    message = store.charge(store.update(message.sid, status="sent", date_sent=now()))
    post(callback, _status_params(message, "sent"), token)
    _wait(REPORT_AFTER)
    if fate.final == "delivered":
        receiver = store.owner_of(message.to)
        if receiver is not None:
            _receive(receiver, message)
    message = store.update(
        message.sid, status=fate.final, error_code=fate.error_code,
        error_message=fate.error_message,
    )  # fmt: skip
    post(callback, _status_params(message, fate.final), token)


def _receive(number: SandboxNumber, sent) -> None:
    """`sent` arrives at a number the sandbox sold: a new inbound message in its account."""
    media = [
        (message_shapes.media_url(m), m.content_type, m.content) for m in store.media_of(sent.sid)
    ]
    deliver_inbound(number, from_=sent.from_ or "", body=sent.body, media=media)


def _webhook_for(number: SandboxNumber) -> tuple[str | None, str | None]:
    """(URL, Messaging Service SID): the service's inbound URL when the number is in one
    that does not defer to its numbers' own webhooks."""
    with read_scope() as s:
        link = s.get(SandboxServiceNumber, number.sid)
        service = s.get(SandboxMessagingService, link.service_sid) if link else None
    if service and service.inbound_request_url and not service.use_inbound_webhook_on_number:
        return service.inbound_request_url, service.sid
    return number.sms_url, service.sid if service else None


def deliver_inbound(number: SandboxNumber, *, from_: str, body: str, media: list) -> object:
    """Someone texts `number`: store the message, then (on a thread) tell its webhook."""
    url, service_sid = _webhook_for(number)
    message = store.create_message(
        account_sid=number.account_sid,
        messaging_service_sid=service_sid,
        from_=from_,
        to=number.phone_number,
        body=body,
        status="received",
        direction="inbound",
        date_sent=now(),
        media=media,
    )
    message = store.charge(message)
    word = body.strip(" \t\r\n.!?¡¿").upper()
    if word in OPT_OUT or word in OPT_IN:
        store.set_opt_out(number=number.phone_number, party=from_, out=word in OPT_OUT)
    start(_notify_inbound, message=message, url=url)
    return message


def inbound_params(message) -> dict[str, str]:
    params = {
        "AccountSid": message.account_sid,
        "ApiVersion": API,
        "Body": message.body,
        "From": message.from_ or "",
        "To": message.to,
        "MessageSid": message.sid,
        "SmsMessageSid": message.sid,
        "SmsSid": message.sid,
        "SmsStatus": "received",
        "NumMedia": str(message.num_media),
        "NumSegments": str(message.num_segments),
        "FromCountry": "US" if (message.from_ or "").startswith("+1") else "",
        "ToCountry": "US",
    }
    if message.messaging_service_sid:
        params["MessagingServiceSid"] = message.messaging_service_sid
    for i, item in enumerate(store.media_of(message.sid)):
        params[f"MediaContentType{i}"] = item.content_type
        params[f"MediaUrl{i}"] = message_shapes.media_url(item)
    return params


def _notify_inbound(*, message, url: str | None) -> None:
    response = post(url, inbound_params(message), _token(message.account_sid))
    if response is None or response.status_code != 200 or "<!" in response.text:
        return
    try:
        twiml = ET.fromstring(response.text)  # noqa: S314 - DTDs refused above
    except ET.ParseError:
        return
    for verb in twiml.iter("Message"):
        body = verb.findtext("Body") if verb.find("Body") is not None else verb.text
        reply = store.create_message(
            account_sid=message.account_sid,
            from_=message.to,
            to=verb.get("to") or message.from_ or "",
            body=(body or "").strip(),
            direction="outbound-reply",
            status_callback=verb.get("statusCallback"),
        )
        _run_outbound(message=reply, pool=[])
