"""The softphone's hold and transfer controls, on the call the softphone follows (its
backend-only `_parent_sid`; never an id from the browser): Hold/Resume; dial a number or
a teammate in to take the call over (Transfer: confirmed, as it drops the user from the
call), to talk to first while the caller waits on hold (Talk first, then Connect,
confirmed, or Back to caller), or to join the call (Add to call); and, on a teammate's
softphone, the call offered to them (take or decline). Every action checks on the server
that the call is one the member handles, live (`routing.transfer`, `transfer_members`);
Twilio and the database are worked in a worker thread. What the conference's webhooks
change is pushed: `sync_hold` re-reads it, and once the call was handed over the
softphone shows it ended."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform.calls import browser_calls
from callplatform.common.errors import ServiceError
from callplatform.db import in_read_session, in_session
from callplatform.routing import conference, transfer, transfer_members
from callplatform.state import live
from callplatform.state.softphone import SoftphoneState, _device
from callplatform.state.workspace import acting_member

PENDING_WORDS = {
    "transfer": "Transferring to {}…",
    "consult": "Calling {}…",
    "add": "Adding {}…",
}


class CallTransferState(SoftphoneState):
    held: bool = False
    busy: str = ""  # what the user asked for and Twilio is doing: shown meanwhile
    panel_open: bool = False
    target: str = ""
    target_error: str = ""
    confirming: str = ""  # "transfer" | "connect": the step that drops the user, asked twice
    pending: str = ""  # transfer | consult | add, while the party rings or is consulted
    pending_text: str = ""
    pending_joined: bool = False
    team: list[list[str]] = []  # [user id, name] of the teammates to pass a call to
    target_member: str = ""  # one of them, chosen in place of a number
    offer_id: int = 0  # a call a teammate is passing to this user (their browser rings)
    offer_text: str = ""

    @rx.event
    async def toggle_panel(self):
        self.panel_open, self.confirming, self.target_error = not self.panel_open, "", ""
        member = await acting_member(self)
        if self.panel_open and member is not None:
            people = await asyncio.to_thread(
                in_read_session, transfer_members.teammates, member=member
            )
            self.team = [[str(uid), name] for uid, name in people]

    @rx.event
    def set_target(self, value: str):
        self.target, self.target_error, self.confirming = str(value)[:40], "", ""
        self.target_member = ""

    @rx.event
    def set_target_member(self, value: str):
        value = str(value)
        self.target_member = value if value in {uid for uid, _name in self.team} else ""
        self.target, self.target_error, self.confirming = "", "", ""

    async def _act(self, words: str, func, **kwargs) -> str | None:
        """Run a transfer service on this tab's call; its refusal in words, if any."""
        member = await acting_member(self)
        if member is None or not self._parent_sid or self.status != "in-progress":
            return "The call isn't connected."
        self.busy = words
        try:
            await asyncio.to_thread(
                in_session, func, member=member, softphone_sid=self._parent_sid, **kwargs
            )
        except ServiceError as exc:
            return exc.message
        finally:
            self.busy = ""
        return None

    @rx.event
    async def toggle_hold(self):
        on = not self.held
        self.busy = "Putting on hold…" if on else "Resuming…"
        yield
        error = await self._act(self.busy, transfer.hold, on=on)
        if error:
            yield rx.toast.error(error)
        else:
            self.held = on

    @rx.event
    async def bring_in(self, mode: str):
        """Dial the number typed in; Transfer is asked for twice (it ends the user's call)."""
        mode = str(mode)
        if mode not in transfer.MODES:
            return
        if mode == "transfer" and self.confirming != "transfer":
            self.confirming = "transfer"
            return
        self.confirming = ""
        yield
        if self.target_member:  # a teammate's browser (checked again on the server)
            error = await self._act("Calling…", transfer_members.dial_member,
                                    user_id=int(self.target_member), mode=mode)  # fmt: skip
        else:
            error = await self._act("Calling…", transfer.dial_in, to=self.target, mode=mode)
        if error:
            self.target_error = error
            return
        self.panel_open, self.target, self.target_member = False, "", ""
        await self._read()

    @rx.event
    async def connect(self):
        if self.confirming != "connect":
            self.confirming = "connect"
            return
        self.confirming = ""
        yield
        error = await self._act("Connecting…", transfer.connect)
        if error:
            yield rx.toast.error(error)

    @rx.event
    async def back_to_caller(self):
        self.confirming = ""
        error = await self._act("Hanging up on them…", transfer.return_to_caller)
        if error:
            yield rx.toast.error(error)
        await self._read()

    @rx.event
    async def cancel_confirm(self):
        self.confirming = ""

    @rx.event
    async def take_offer(self, accept: bool):
        """Take (or decline) the call a teammate is passing to this user."""
        member = await acting_member(self)
        offer, self.offer_id, self.offer_text = self.offer_id, 0, ""
        if member is None or not offer or self.in_call:
            return
        try:
            sid = await asyncio.to_thread(in_session, transfer_members.take, member=member,
                                          conference_id=offer, accept=bool(accept))  # fmt: skip
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
            return
        if browser_calls.browser_places_calls():
            yield _device("accept" if accept else "reject")
        if accept:
            self._parent_sid, self.status, self.status_text = sid, "in-progress", "Connected"
            self.open, self.elapsed, self.talk_seconds = True, "", 0

    @rx.event
    async def sync_hold(self):
        """The conference as the server knows it (pushed after every event of it)."""
        await self._read()

    async def _read(self) -> None:
        member = await acting_member(self)
        sid = self._parent_sid if self.in_call else ""
        conf = None
        if member is not None and sid:
            conf = await asyncio.to_thread(
                in_read_session, conference.view, member=member, softphone_sid=sid
            )
        if member is not None and not sid:
            await self._read_offer(member)
        if conf is None:
            self.held, self.pending, self.pending_text, self.pending_joined = False, "", "", False
            return
        self.held, self.pending, self.pending_joined = (
            conf.on_hold,
            conf.pending,
            conf.pending_joined,
        )
        who = conf.pending_to and await asyncio.to_thread(
            in_read_session, _party_words, to=conf.pending_to
        )
        if conf.pending == "consult" and conf.pending_joined:
            self.pending_text = f"Talking to {who} · caller on hold"
        else:
            self.pending_text = PENDING_WORDS.get(conf.pending, "").format(who)
        if conf.agent_left:  # handed over: this user's part of the call is done
            self.status, self.status_text = "ended", "Call transferred"
            self.talk_seconds, self._parent_sid, self.held, self.pending = -1, "", False, ""

    async def _read_offer(self, member) -> None:
        offer = await asyncio.to_thread(in_read_session, _first_offer, member=member)
        self.offer_id, self.offer_text = offer if offer else (0, "")


def _party_words(*, session, to: str) -> str:
    return transfer.party_words(session, to)


def _first_offer(*, session, member) -> tuple[int, str] | None:
    offers = transfer_members.offers_for(session=session, member=member)
    if not offers:
        return None
    return offers[0].id, transfer_members.offer_words(session=session, conf=offers[0])


live.refresh_on(CallTransferState, "sync_hold", live.CALLS)
