"""The composer: sending a text, in the open thread (to its party, from its number: the
thread's, checked on the server) or as a new message (from a number the member picks, to
a number they type). Its count as the user types is the browser's (`draft_count`)."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform.common import ids
from callplatform.common.errors import ServiceError
from callplatform.messaging import media
from callplatform.messaging.sending import MAX_BODY
from callplatform.pages.messages import draft_count, reads
from callplatform.pages.messages.rows import thread_href
from callplatform.pages.messages.state import MessagesState
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member

BODY_ID = "composer-body"
PICTURES_ID = "composer-pictures"


class ComposerState(SessionState):
    senders: list[list[str]] = []  # [id, label] of the numbers the member may text from
    from_number: str = ""
    sending: bool = False
    to_error: str = ""
    from_error: str = ""
    body_error: str = ""
    error: str = ""
    attached: list[str] = []  # the pictures' names, shown under the message
    # (content type, bytes) of the pictures to send: server-side only, never to the page.
    _pictures: list[tuple[str, bytes]] = []

    def _clear_errors(self) -> None:
        self.to_error = self.from_error = self.body_error = self.error = ""

    @rx.event
    async def load(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        self.senders = await asyncio.to_thread(reads.senders, member)
        if self.from_number not in {s[0] for s in self.senders}:
            self.from_number = self.senders[0][0] if self.senders else ""
        self._clear_errors()
        self.sending = False
        self.attached, self._pictures = [], []
        return None

    @rx.event
    async def attach(self, files: list[rx.UploadFile]):
        """Pictures picked for the next text: checked now (type, size, count), sent with
        it. Read up to the limit only: a bigger file is refused, not held."""
        if await acting_member(self) is None:
            return self._bounce()
        if not isinstance(files, list) or not all(hasattr(f, "read") for f in files):
            return None  # only the page's own upload sends files
        picked = list(self._pictures)
        names = list(self.attached)
        for upload in files[: media.MAX_ITEMS + 1]:
            data = await upload.read(media.MAX_BYTES + 1)
            picked.append(((upload.content_type or "").split(";")[0].strip(), data))
            names.append(str(upload.filename or "picture")[-60:])
        try:
            media.check_attachments(picked)
        except ServiceError as exc:
            self.body_error = exc.message
            return None
        self._pictures, self.attached, self.body_error = picked, names, ""
        return None

    @rx.event
    def drop_pictures(self):
        self.attached, self._pictures = [], []

    @rx.event
    def edit_to(self, _text: str):
        """The number is being corrected: its old refusal goes."""
        self.to_error = ""

    @rx.event
    def pick_number(self, number_id: str):
        self.from_number, self.from_error = str(number_id)[:20], ""

    @rx.event
    async def send(self, form_data: dict):
        """The open thread's route says where to; without one, the form's number and
        "to" field. Everything is checked again by the service."""
        if self.sending:
            return
        member = await acting_member(self)
        if member is None:
            yield self._bounce()
            return
        user = await self._current_user()
        if user is None:
            yield self._bounce()
            return
        form = form_data if isinstance(form_data, dict) else {}
        body = form.get("body")
        if isinstance(body, str) and len(body) > MAX_BODY * 4:
            body = body[: MAX_BODY + 1]  # too long either way: the service says so
        page = await self.get_state(MessagesState)
        conversation = page._conversation_param()
        self._clear_errors()
        self.sending = True
        yield
        try:
            conversation_id = await asyncio.to_thread(
                reads.send, member, user.id, conversation_id=conversation,
                number_id=ids.as_id(self.from_number), to=form.get("to"), body=body,
                attachments=list(self._pictures),
            )  # fmt: skip
        except ServiceError as exc:
            self._show(exc, new=conversation is None)
            return
        finally:
            self.sending = False
        self.attached, self._pictures = [], []
        yield rx.call_script(draft_count.cleared(BODY_ID))
        if conversation is None:
            yield rx.redirect(thread_href(conversation_id))
        else:
            yield MessagesState.refresh

    def _show(self, exc: ServiceError, *, new: bool) -> None:
        """Each refusal beside the field it is about."""
        if exc.field == "to" and new:
            self.to_error = exc.message
        elif exc.field in ("number_id", "from_number") or (new and exc.code == "not_found"):
            self.from_error = exc.message
        elif exc.field == "body":
            self.body_error = exc.message
        else:
            self.error = exc.message
