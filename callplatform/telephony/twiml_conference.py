"""TwiML for calls in conferences (hold and transfer): a leg joining its call's conference,
and the music a held caller hears."""

from __future__ import annotations

from twilio.twiml.voice_response import Dial, VoiceResponse

# Twilio's own public hold music (its default hold and wait music lives beside it).
HOLD_MUSIC = "https://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3"
CONFERENCE_EVENTS = "start end join leave hold"


def join_conference(
    *, name: str, status_callback: str, end_on_exit: bool, label: str | None = None
) -> str:
    """Join the conference `name` at once (no beep, no waiting music: the other leg is
    joining too); its events go to `status_callback`. A call that leaves it goes on with
    nothing: it ends."""
    response = VoiceResponse()
    dial = Dial()
    dial.conference(
        name,
        start_conference_on_enter=True,
        end_conference_on_exit=end_on_exit,
        beep=False,
        wait_url="",
        status_callback=status_callback,
        status_callback_method="POST",
        status_callback_event=CONFERENCE_EVENTS,
        participant_label=label,
    )
    response.append(dial)
    return str(response)


def hold_music() -> str:
    """Played to a held participant until they are taken off hold."""
    response = VoiceResponse()
    response.play(HOLD_MUSIC, loop=0)
    return str(response)


def hang_up() -> str:
    response = VoiceResponse()
    response.hangup()
    return str(response)
