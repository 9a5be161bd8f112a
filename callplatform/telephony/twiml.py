"""TwiML the voice and messaging webhooks answer with, built with the SDK's VoiceResponse
and MessagingResponse."""

from __future__ import annotations

from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Dial, VoiceResponse

RECORDING_NOTICE = "This call is recorded."
PROGRESS_EVENTS = "initiated ringing answered completed"


def dial_number(
    *,
    caller_id: str,
    number: str,
    record: bool,
    announce_recording: bool,
    status_callback: str,
    recording_status_callback: str,
    notice_url: str | None = None,
    timeout: int = 30,
    action: str | None = None,
) -> str:
    """Connect the browser to a phone number. With recording on, the caller hears the
    notice before dialling, and the callee hears it on answering: Twilio plays the TwiML
    at the Number's `url` (our `notice_url`) to the called party before connecting. The
    Dial's `action` says what the browser's leg does once the Dial ends (after a hold or
    transfer moved the callee into a conference: join it too)."""
    response = VoiceResponse()
    if announce_recording:
        response.say(RECORDING_NOTICE)
    dial = Dial(
        caller_id=caller_id,
        timeout=timeout,
        action=action,
        method="POST" if action else None,
        answer_on_bridge=True,
        record="record-from-answer-dual" if record else "do-not-record",
        recording_status_callback=recording_status_callback if record else None,
        recording_status_callback_method="POST" if record else None,
    )
    dial.number(
        number,
        url=notice_url if announce_recording else None,
        method="POST" if announce_recording and notice_url else None,
        status_callback=status_callback,
        status_callback_method="POST",
        status_callback_event=PROGRESS_EVENTS,
    )
    response.append(dial)
    return str(response)


def dial_client(
    *,
    identities: list[str],
    caller_id: str,
    timeout: int,
    action: str,
    record: bool,
    announce_recording: bool,
    recording_status_callback: str,
) -> str:
    """Ring these browsers together (the first to answer takes the call); Twilio goes
    to `action` when the dial ends."""
    response = VoiceResponse()
    if announce_recording:
        response.say(RECORDING_NOTICE)
    dial = Dial(
        caller_id=caller_id or None,
        timeout=timeout,
        action=action,
        method="POST",
        record="record-from-answer-dual" if record else "do-not-record",
        recording_status_callback=recording_status_callback if record else None,
    )
    for identity in identities:
        dial.client(identity)
    response.append(dial)
    return str(response)


def voicemail(*, greeting: str, recording_status_callback: str, max_length: int = 120) -> str:
    response = VoiceResponse()
    response.say(greeting)
    response.record(
        play_beep=True,
        max_length=max_length,
        method="POST",
        recording_status_callback=recording_status_callback,
        recording_status_callback_method="POST",
    )
    response.hangup()
    return str(response)


def refuse(*, message: str) -> str:
    """Say why (if anything) and hang up."""
    response = VoiceResponse()
    if message:
        response.say(message)
    response.hangup()
    return str(response)


def notice() -> str:
    """What the called party hears on answering a recorded call."""
    response = VoiceResponse()
    response.say(RECORDING_NOTICE)
    return str(response)


def message_reply(body: str | None = None) -> str:
    """The messaging webhook's answer: a reply to the sender (a HELP answer), or, without
    `body`, nothing sent back (Twilio's way to take a message in silence)."""
    response = MessagingResponse()
    if body:
        response.message(body)
    return str(response)
