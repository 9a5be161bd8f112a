"""Sandbox message rows: how Twilio counts a body, what becomes of a message by its
destination (like the call outcomes), its media, and the STOP blocklist."""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import unquote_to_bytes

import httpx
from sqlmodel import select

from twilio_sandbox import rates
from twilio_sandbox.credentials import new_sid
from twilio_sandbox.database import read_scope, session_scope
from twilio_sandbox.message_models import SandboxMedia, SandboxMessage, SandboxOptOut
from twilio_sandbox.models import SandboxNumber, SandboxUsage, now

GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_ESCAPED = frozenset("\f^{}\\[~]|€")
MAX_MEDIA_BYTES = 5 * 1024 * 1024  # Twilio's limit for a message's media
_http = httpx.Client(timeout=10, follow_redirects=True)


def num_segments(body: str) -> int:
    """Segments as Twilio bills them: GSM-7 160/153 septets (escaped characters two),
    else UCS-2 70/67 UTF-16 units; an escape or surrogate pair never straddles parts."""
    if all(c in GSM7 or c in GSM7_ESCAPED for c in body):
        sizes, single, part = [2 if c in GSM7_ESCAPED else 1 for c in body], 160, 153
    else:
        sizes, single, part = [2 if ord(c) > 0xFFFF else 1 for c in body], 70, 67
    if sum(sizes) <= single:
        return 1
    segments, filled = 1, 0
    for size in sizes:
        if filled + size > part:
            segments, filled = segments + 1, 0
        filled += size
    return segments


@dataclass(frozen=True)
class Fate:
    final: str  # delivered | undelivered | failed
    error_code: int | None = None
    error_message: str | None = None


# By the destination's last four digits, in the spirit of the call outcomes (…0101 busy):
# carrier reports a while after the message was sent, or (failed) never sent at all.
FATES = {
    "0104": Fate("undelivered", 30005, "Unknown destination handset"),
    "0105": Fate("undelivered", 30003, "Unreachable destination handset"),
    "0106": Fate("undelivered", 30006, "Landline or unreachable carrier"),
    "0107": Fate("undelivered", 30007, "Message filtered"),
    "0108": Fate("failed", 30008, "Unknown error"),
}
DELIVERED = Fate("delivered")


def fate_for(to: str) -> Fate:
    """A number the sandbox sold always receives (so two of its users can text each
    other whatever numbers they bought); anything else goes by its last digits."""
    return DELIVERED if owner_of(to) else FATES.get(to[-4:], DELIVERED)


def owner_of(phone: str) -> SandboxNumber | None:
    with read_scope() as s:
        query = select(SandboxNumber).where(
            SandboxNumber.phone_number == phone, SandboxNumber.released.is_(False)
        )
        return s.exec(query).first()


def create_message(*, media: list[tuple[str, str, bytes | None]] = (), **fields) -> SandboxMessage:
    """A message row (SM..., MM... with media) and its media rows (url, type, bytes)."""
    message = SandboxMessage(
        sid=new_sid("MM" if media else "SM"),
        num_segments=num_segments(fields.get("body", "")) if not media else 1,
        num_media=len(media),
        **fields,
    )
    with session_scope() as s:
        s.add(message)
        for url, content_type, content in media:
            s.add(
                SandboxMedia(
                    sid=new_sid("ME"),
                    account_sid=message.account_sid,
                    message_sid=message.sid,
                    source_url=url[:2000],
                    content_type=content_type,
                    content=content,
                )
            )
    return message


def update(sid: str, **changes) -> SandboxMessage:
    with session_scope() as s:
        message = s.get(SandboxMessage, sid)
        for key, value in changes.items():
            setattr(message, key, value)
        message.date_updated = now()
        s.add(message)
        return message


def charge(message: SandboxMessage) -> SandboxMessage:
    """Price a sent or received message, and count it in the account's usage."""
    price = rates.message_price(segments=message.num_segments, media=message.num_media)
    kind = "mms" if message.num_media else "sms"
    way = "inbound" if message.direction == "inbound" else "outbound"
    with session_scope() as s:
        s.add(
            SandboxUsage(
                account_sid=message.account_sid,
                category=f"{kind}-{way}",
                usage=Decimal(message.num_segments if kind == "sms" else 1),
                usage_unit="segments" if kind == "sms" else "messages",
                price=-price,
            )
        )
    return update(message.sid, price=price)


def media_of(message_sid: str) -> list[SandboxMedia]:
    with read_scope() as s:
        query = select(SandboxMedia).where(SandboxMedia.message_sid == message_sid)
        return list(s.exec(query.order_by(SandboxMedia.date_created, SandboxMedia.sid)))


def fetch_media(url: str) -> tuple[str, bytes]:
    """(content type, bytes) of a MediaUrl, fetched as Twilio fetches it before sending;
    `data:` URLs let tests and demos attach a picture without a server. Raises ValueError."""
    if url.startswith("data:"):
        header, _, payload = url[5:].partition(",")
        kind = header.removesuffix(";base64") or "text/plain"
        data = (
            base64.b64decode(payload) if header.endswith(";base64") else unquote_to_bytes(payload)
        )
    else:
        try:
            response = _http.get(url)
        except httpx.HTTPError as exc:
            raise ValueError(f"cannot fetch {url}: {exc}") from exc
        if response.status_code >= 400:
            raise ValueError(f"fetching {url} answered {response.status_code}")
        guessed = mimetypes.guess_type(url)[0] or "application/octet-stream"
        kind = response.headers.get("content-type", guessed).split(";")[0].strip()
        data = response.content
    if len(data) > MAX_MEDIA_BYTES:
        raise ValueError(f"{url} is larger than 5 MB")
    return kind, data


def opted_out(numbers: list[str], party: str) -> bool:
    with read_scope() as s:
        query = select(SandboxOptOut).where(
            SandboxOptOut.party == party, SandboxOptOut.number.in_(numbers)
        )
        return s.exec(query).first() is not None


def set_opt_out(*, number: str, party: str, out: bool) -> None:
    with session_scope() as s:
        row = s.exec(
            select(SandboxOptOut).where(
                SandboxOptOut.number == number, SandboxOptOut.party == party
            )
        ).first()
        if out and row is None:
            s.add(SandboxOptOut(number=number, party=party))
        elif not out and row is not None:
            s.delete(row)


def attach(media_sid: str, content_type: str, content: bytes) -> None:
    with session_scope() as s:
        item = s.get(SandboxMedia, media_sid)
        item.content_type, item.content = content_type, content
        s.add(item)
