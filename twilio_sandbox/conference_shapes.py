"""Twilio's JSON shapes for Conferences and their Participants (api v2010)."""

from __future__ import annotations

from twilio_sandbox.conference_models import SandboxConference, SandboxParticipant
from twilio_sandbox.shapes import API, rfc2822


def conference(c: SandboxConference) -> dict:
    uri = f"/{API}/Accounts/{c.account_sid}/Conferences/{c.sid}"
    return {
        "account_sid": c.account_sid,
        "date_created": rfc2822(c.date_created),
        "date_updated": rfc2822(c.date_updated),
        "api_version": API,
        "friendly_name": c.friendly_name,
        "region": "us1",
        "sid": c.sid,
        "status": c.status,
        "uri": f"{uri}.json",
        "subresource_uris": {
            "participants": f"{uri}/Participants.json",
            "recordings": f"{uri}/Recordings.json",
        },
        "reason_conference_ended": c.reason_conference_ended,
        "call_sid_ending_conference": c.call_sid_ending_conference,
    }


def participant(p: SandboxParticipant) -> dict:
    return {
        "account_sid": p.account_sid,
        "call_sid": p.call_sid,
        "label": p.label,
        "call_sid_to_coach": None,
        "coaching": False,
        "conference_sid": p.conference_sid,
        "date_created": rfc2822(p.date_created),
        "date_updated": rfc2822(p.date_updated),
        "end_conference_on_exit": p.end_conference_on_exit,
        "muted": p.muted,
        "hold": p.hold,
        "start_conference_on_enter": p.start_conference_on_enter,
        "status": p.status,
        "queue_time": None,
        "uri": f"/{API}/Accounts/{p.account_sid}/Conferences/{p.conference_sid}"
        f"/Participants/{p.call_sid}.json",
    }
