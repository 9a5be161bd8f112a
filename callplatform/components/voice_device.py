"""Twilio's Voice JavaScript SDK in the page (voice_device.jsx beside this file). It is
always bundled, so the build proves the SDK is installed; it only registers a Device
when real Twilio credentials are configured (the sandbox has its own stand-in)."""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

from callplatform.config import get_settings

VOICE_SDK = "@twilio/voice-sdk@2.18.5"
TOKEN_URL = "/api/voice/token"


class VoiceDevice(rx.Component):
    library = f"$/public/{rx.asset('voice_device.jsx', shared=True)}"
    tag = "VoiceDevice"
    lib_dependencies: list[str] = [VOICE_SDK]

    enabled: rx.Var[bool]
    token_url: rx.Var[str]
    on_device_event: rx.EventHandler[passthrough_event_spec(str, str)]


def voice_device(on_device_event) -> rx.Component:
    return VoiceDevice.create(
        enabled=not get_settings().uses_sandbox,
        token_url=TOKEN_URL,
        on_device_event=on_device_event,
    )
