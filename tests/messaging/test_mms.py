"""Pictures: Ann's PNG goes out through a URL signed for it (Twilio cannot log in),
arrives at Bob's number as an MMS whose picture we fetch with Bob's account's
credentials, and each of them (and nobody else) gets the bytes back; a forged or
altered URL gets nothing."""

from __future__ import annotations

import base64

import httpx
import pytest
from sqlmodel import select

from callplatform.accounts import sessions
from callplatform.common.errors import ValidationError
from callplatform.db import session_scope
from callplatform.messaging import media
from callplatform.models import Message, MessageMedia
from tests.api.isolation_data import browser_session
from tests.helpers import make_user, wait_for_db
from tests.messaging.test_conversations import send

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _get(base: str, path: str, email: str | None = None) -> httpx.Response:
    cookies = {sessions.SESSION_COOKIE: browser_session(email)} if email else {}
    return httpx.get(base + path, cookies=cookies, timeout=20)


def test_a_picture_goes_out_and_comes_in(texters, telephony):
    (ann, ann_number, _), (_, _, bob_phone) = texters["ann"], texters["bob"]
    sent = send(ann, ann_number, bob_phone, "", attachments=[("image/png", PNG)])
    assert sent.media_count == 1 and sent.message_sid
    wait_for_db(lambda s: s.get(Message, sent.id).status == "delivered")
    received = wait_for_db(
        lambda s: s.exec(select(MessageMedia).join(Message, Message.id == MessageMedia.message_id)
                         .where(Message.direction == "inbound", MessageMedia.content.is_not(None))).first()
    )  # fmt: skip
    with session_scope() as s:
        (mine,) = s.exec(select(MessageMedia).join(Message, Message.id == MessageMedia.message_id)
                         .where(Message.id == sent.id)).all()  # fmt: skip
    assert received.content == PNG and received.content_type == "image/png"
    assert _get(telephony, f"/api/messages/media/{mine.id}", "ann@example.com").content == PNG
    assert _get(telephony, f"/api/messages/media/{received.id}", "bob@example.com").content == PNG
    # Not each other's, not a stranger's, not anonymous.
    assert _get(telephony, f"/api/messages/media/{mine.id}", "bob@example.com").status_code == 404
    make_user("eve@example.com")
    assert (
        _get(telephony, f"/api/messages/media/{received.id}", "eve@example.com").status_code == 404
    )
    assert _get(telephony, f"/api/messages/media/{received.id}").status_code == 401
    # The URL Twilio fetched works; another item's id under its signature does not.
    signed = media.public_url(mine.id).removeprefix(media.get_settings().base_url)
    assert _get(telephony, signed).content == PNG
    forged = signed.replace(f"/{mine.id}/", f"/{received.id}/")
    assert _get(telephony, forged).status_code == 403


@pytest.mark.parametrize("attachments, words", [
    ([("image/svg+xml", b"<svg/>")], "JPEG, PNG or GIF"),
    ([("image/png", b"")], "empty"),
    ([("image/png", b"x" * (5 * 1024 * 1024 + 1))], "5 MB"),
    ([("image/png", PNG)] * 11, "at most 10"),
])  # fmt: skip
def test_bad_attachments_are_refused(texters, attachments, words):
    (ann, ann_number, _), (_, _, bob_phone) = texters["ann"], texters["bob"]
    with pytest.raises(ValidationError, match=words):
        send(ann, ann_number, bob_phone, "look", attachments=attachments)
    with session_scope() as s:
        assert s.exec(select(Message)).all() == []
