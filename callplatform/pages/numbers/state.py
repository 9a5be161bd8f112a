"""State of the Numbers page. Every handler resolves the user on the server and passes
only the owner's id to the services, which filter by it. Database and Twilio work runs in
a worker thread, off the event loop every user shares."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform import routes
from callplatform.common.errors import ServiceError
from callplatform.db import in_session
from callplatform.numbers import inventory, pricing
from callplatform.pages.numbers.assignees import numbers_of
from callplatform.pages.numbers.views import NumberView, OfferView
from callplatform.state import live
from callplatform.state.session import SessionState
from callplatform.state.workspace import acting_member
from callplatform.workspaces.access import Member


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _search(area_code: str, contains: str, country: str, toll_free: bool):
    offers = inventory.search_numbers(
        area_code=area_code, contains=contains, country=country, toll_free=toll_free
    )
    price = pricing.monthly_price(country=country, toll_free=toll_free)
    return [OfferView.of(o) for o in offers], f"${price.monthly:.2f}/month"


class NumbersState(SessionState):
    numbers: list[NumberView] = []
    offers: list[OfferView] = []
    area_code: str = ""
    contains: str = ""
    country: str = "US"
    toll_free: bool = False
    offer_price: str = ""
    searched: bool = False
    searching: bool = False
    search_error: str = ""
    buying: str = ""
    edit_id: int = 0
    edit_name: str = ""
    edit_error: str = ""
    release_id: int = 0
    release_display: str = ""
    releasing: bool = False
    manages: bool = False  # an admin or owner: buys, renames, releases; a member only uses
    team: bool = False  # ... of a team: sees and changes whom each number is assigned to

    async def _refresh(self, member: Member) -> None:
        self.numbers, self.team = await asyncio.to_thread(numbers_of, member)
        self.manages = member.manages

    @rx.event
    async def load(self):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        await self._refresh(member)

    @rx.event
    def set_area_code(self, value: str):
        self.area_code = str(value)[:3]

    @rx.event
    def set_contains(self, value: str):
        self.contains = str(value)[:10]

    @rx.event
    def set_country(self, value: str):
        self.country = value if value in pricing.COUNTRIES else "US"

    @rx.event
    def set_toll_free(self, value: bool):
        self.toll_free = bool(value)

    @rx.event
    async def search(self, _form: dict | None = None):
        if await self._current_user() is None:
            yield self._bounce()
            return
        self.searching, self.search_error = True, ""
        yield
        try:
            self.offers, self.offer_price = await asyncio.to_thread(
                _search, self.area_code, self.contains, self.country, self.toll_free
            )
            self.searched = True
        except ServiceError as exc:  # Twilio's failures too: the services translate them
            self.offers, self.search_error = [], exc.message
        finally:
            self.searching = False

    @rx.event
    async def buy(self, phone_number: str):
        member = await acting_member(self)
        if member is None:
            yield self._bounce()
            return
        if self.buying:  # a second click while the first is in flight
            return
        self.buying = str(phone_number)
        yield
        try:
            row = await asyncio.to_thread(
                in_session, inventory.buy_number, member=member, phone_number=self.buying
            )
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
        else:
            self.offers = [o for o in self.offers if o.phone_number != self.buying]
            yield rx.toast.success(f"{row.friendly_name} is yours.")
        finally:
            self.buying = ""
        await self._refresh(member)

    @rx.event
    async def start_edit(self, number_id: int):
        user = await self._current_user()
        if user is None:
            return self._bounce()
        match = [n for n in self.numbers if n.id == _as_int(number_id)]
        if match:
            self.edit_id, self.edit_name, self.edit_error = match[0].id, match[0].friendly_name, ""

    @rx.event
    def set_edit_name(self, value: str):
        self.edit_name = str(value)[:80]

    @rx.event
    def cancel_edit(self):
        self.edit_id, self.edit_error = 0, ""

    @rx.event
    async def save_edit(self, _form: dict | None = None):
        member = await acting_member(self)
        if member is None:
            yield self._bounce()
            return
        try:
            await asyncio.to_thread(
                in_session,
                inventory.rename_number,
                member=member,
                number_id=_as_int(self.edit_id),
                friendly_name=self.edit_name,
            )
        except ServiceError as exc:
            self.edit_error = exc.message
            return
        self.edit_id = 0
        await self._refresh(member)
        yield rx.toast.success("Name saved.")

    @rx.event
    async def set_recording(self, number_id: int, enabled: bool):
        member = await acting_member(self)
        if member is None:
            return self._bounce()
        try:
            await asyncio.to_thread(
                in_session,
                inventory.set_call_recording,
                member=member,
                number_id=_as_int(number_id),
                enabled=bool(enabled),
            )
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._refresh(member)

    @rx.event
    def ask_release(self, number_id: int):
        match = [n for n in self.numbers if n.id == _as_int(number_id)]
        if match:
            self.release_id, self.release_display = match[0].id, match[0].display

    @rx.event
    def cancel_release(self):
        self.release_id = 0

    @rx.event
    async def confirm_release(self):
        member = await acting_member(self)
        if member is None:
            yield self._bounce()
            return
        self.releasing = True
        yield
        try:
            await asyncio.to_thread(
                in_session,
                inventory.release_number,
                member=member,
                number_id=_as_int(self.release_id),
            )
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
        else:
            yield rx.toast.success(f"{self.release_display} was released.")
        finally:
            self.releasing, self.release_id = False, 0
        await self._refresh(member)


live.refresh_on(NumbersState, "load", live.NUMBERS, route=routes.NUMBERS)
