"""What the sandbox records: a caller's message (voicemail) and a recorded call's audio,
announced to our recording webhook as Twilio does."""

from __future__ import annotations

from urllib.parse import urljoin

from twilio_sandbox import calls_store as store
from twilio_sandbox.phone_line import CALLER_MESSAGE_SECONDS, post


def timestamp() -> str:
    """Now, as Twilio's callbacks write it (RFC 2822)."""
    from twilio_sandbox.models import now
    from twilio_sandbox.shapes import rfc2822

    return rfc2822(now())


def record_message(*, call, verb, base: str, params: dict, token: str) -> int:
    """The caller leaves a message (voicemail)."""
    seconds = min(CALLER_MESSAGE_SECONDS, int(verb.get("maxLength", "120")))
    store.clock(call.sid).wait(seconds)
    url = verb.get("recordingStatusCallback")
    send_recording(call=call, seconds=seconds, url=urljoin(base, url) if url else None, token=token)
    return seconds


def send_recording(*, call, seconds: int, url: str | None, token: str) -> None:
    rec = store.create_recording(account_sid=call.account_sid, call_sid=call.sid, seconds=seconds)
    post(
        url,
        {
            "AccountSid": call.account_sid,
            "CallSid": call.sid,
            "RecordingSid": rec.sid,
            "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/{call.account_sid}/Recordings/{rec.sid}",
            "RecordingStatus": "completed",
            "RecordingDuration": str(seconds),
            "RecordingChannels": "1",
            "RecordingSource": "RecordVerb",
            "RecordingStartTime": timestamp(),
        },
        token,
    )
