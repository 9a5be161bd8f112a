"""What the Messages page shows of threads and texts: plain values, ready to render."""

from __future__ import annotations

import dataclasses

from callplatform import routes
from callplatform.common.phone_format import display
from callplatform.messaging import opt_out
from callplatform.models import Conversation, Message, TwilioCall, UserPhoneNumber, status_label

# An outgoing text's status, as the person who sent it reads it.
STATUS_WORDS = {
    "queued": "Queued",
    "accepted": "Queued",
    "sending": "Sending",
    "sent": "Sent",
    "delivered": "Delivered",
    "undelivered": "Undelivered",
    "failed": "Failed",
}
STATUS_COLORS = {"delivered": "green", "undelivered": "red", "failed": "red"}
# A picture's bytes, for the signed-in browser (api/media_messages.py checks who asks).
PICTURE_URL = "/api/messages/media/{}"


def thread_href(conversation_id: int) -> str:
    return routes.MESSAGE_THREAD.replace("[conversation_id]", str(conversation_id))


def number_label(number: UserPhoneNumber | None) -> str:
    """Which of our numbers: its name (a new number's name is the number itself)."""
    if number is None:
        return ""
    return number.friendly_name or display(number.phone_number)


@dataclasses.dataclass
class ConversationRow:
    id: int = 0
    href: str = ""
    party: str = ""  # the other party, as people write it
    preview: str = ""
    at: str = ""  # ISO, UTC: shown in the user's zone
    unread: int = 0
    number: str = ""

    @classmethod
    def of(cls, row: Conversation, number: str, name: str = "") -> ConversationRow:
        return cls(
            id=row.id or 0,
            href=thread_href(row.id or 0),
            party=name or display(row.other_party),  # the contact's name when there is one
            preview=row.last_preview,
            at=row.last_message_at.isoformat(),
            unread=row.unread,
            number=number,
        )


@dataclasses.dataclass
class MessageRow:
    id: int = 0
    outbound: bool = False
    body: str = ""
    at: str = ""
    status: str = ""  # outgoing texts only
    status_color: str = "gray"
    problem: str = ""  # why it was not delivered, in words
    pictures: list[str] = dataclasses.field(default_factory=list)  # their URLs
    call: str = ""  # a call with the same person, in words (then the rest is empty)

    @classmethod
    def of_call(cls, row: TwilioCall) -> MessageRow:
        """A call between the thread's two numbers, shown in the thread in its place."""
        way = "Outgoing call" if row.direction == "outbound" else "Incoming call"
        if row.missed:
            words = "Missed call"
        elif row.status == "completed" and row.duration_seconds:
            minutes, seconds = divmod(row.duration_seconds, 60)
            words = f"{way} · {minutes} min {seconds:02d} s" if minutes else f"{way} · {seconds} s"
        else:
            words = f"{way} · {status_label(row.status).lower()}"
        return cls(id=-(row.id or 0), at=row.started_at.isoformat(), call=words)

    @classmethod
    def of(cls, row: Message, media_ids: list[int] = ()) -> MessageRow:
        outbound = row.direction == "outbound"
        unsent = outbound and row.status in ("undelivered", "failed")
        return cls(
            id=row.id or 0,
            outbound=outbound,
            body=row.body,
            at=row.created_at.isoformat(),
            status=STATUS_WORDS.get(row.status, row.status.capitalize()) if outbound else "",
            status_color=STATUS_COLORS.get(row.status, "gray"),
            problem=opt_out.error_words(row.error_code) if unsent else "",
            # Versioned by the message's last change: a picture fetched from Twilio after
            # the thread was first drawn is asked for again, not shown from a failed load.
            pictures=[
                f"{PICTURE_URL.format(i)}?v={int(row.updated_at.timestamp())}" for i in media_ids
            ],
        )


@dataclasses.dataclass
class ThreadView:
    id: int = 0
    party: str = ""
    party_e164: str = ""  # for the call button
    number: str = ""
    add_contact_href: str = ""  # "" when the party is a contact already


@dataclasses.dataclass
class SearchHit:
    href: str = ""
    party: str = ""
    body: str = ""
    at: str = ""
    outbound: bool = False
