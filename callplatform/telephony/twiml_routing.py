"""TwiML for routed calls (issue 18), built with the SDK's VoiceResponse: one `Script`
collects the verbs a routing step plays (Say with a voice, Gather, Dial to browsers or a
number with a whisper, Record, Redirect, Reject, Hangup)."""

from __future__ import annotations

from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from callplatform.telephony.twiml import PROGRESS_EVENTS


class Script:
    def __init__(self) -> None:
        self._response = VoiceResponse()

    def __str__(self) -> str:
        return str(self._response)

    def say(self, text: str, *, voice: str | None = None, language: str | None = None) -> Script:
        if text:
            self._response.say(text, voice=voice, language=language)
        return self

    def pause(self, seconds: int) -> Script:
        self._response.pause(length=seconds)
        return self

    def gather(
        self, *, action: str, timeout: int, prompt: str, voice: str, language: str
    ) -> Script:
        """One key, pressed while (or after) the prompt plays; Twilio posts Digits to `action`, or
        (no key in time) goes on to the next verb."""
        # finishOnKey="" so that # (and *) can be menu keys: by default # ends the input.
        gather = Gather(
            input="dtmf",
            num_digits=1,
            finish_on_key="",
            timeout=timeout,
            action=action,
            method="POST",
        )
        gather.say(prompt, voice=voice, language=language)
        self._response.append(gather)
        return self

    def redirect(self, url: str) -> Script:
        self._response.redirect(url, method="POST")
        return self

    def dial_clients(
        self,
        identities: list[str],
        *,
        caller_id: str,
        timeout: int,
        action: str,
        record: bool,
        recording_status_callback: str,
    ) -> Script:
        """Ring browsers together; the first to answer takes the call."""
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
        self._response.append(dial)
        return self

    def dial_number(
        self,
        number: str,
        *,
        caller_id: str,
        timeout: int,
        action: str,
        whisper_url: str | None,
        status_callback: str | None,
        record: bool,
        recording_status_callback: str,
    ) -> Script:
        """Forward to a phone; with `whisper_url` Twilio plays that TwiML to the callee
        once they answer, before connecting (the caller keeps hearing ringing)."""
        dial = Dial(
            caller_id=caller_id,
            timeout=timeout,
            action=action,
            method="POST",
            answer_on_bridge=True,
            record="record-from-answer-dual" if record else "do-not-record",
            recording_status_callback=recording_status_callback if record else None,
        )
        dial.number(
            number,
            url=whisper_url,
            method="POST" if whisper_url else None,
            status_callback=status_callback,
            status_callback_method="POST" if status_callback else None,
            status_callback_event=PROGRESS_EVENTS if status_callback else None,
        )
        self._response.append(dial)
        return self

    def record_message(self, *, recording_status_callback: str, max_length: int = 120) -> Script:
        self._response.record(
            play_beep=True,
            max_length=max_length,
            method="POST",
            recording_status_callback=recording_status_callback,
            recording_status_callback_method="POST",
        )
        return self

    def reject(self, *, busy: bool = False) -> Script:
        """Not answered, not billed: the caller hears busy or not-in-service."""
        self._response.reject(reason="busy" if busy else "rejected")
        return self

    def hangup(self) -> Script:
        self._response.hangup()
        return self
