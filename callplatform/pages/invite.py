"""The invitation page, `/invite/<token>`: what the link offers; a visitor registers or
logs in and is brought back here (`?next=`); the user whose email it names joins the
workspace, and their login acts there from then on."""

from __future__ import annotations

import asyncio

import reflex as rx

from callplatform import routes
from callplatform.accounts import login_workspace
from callplatform.common.errors import ServiceError
from callplatform.components.forms import auth_card, form_error
from callplatform.db import read_scope, session_scope
from callplatform.live import WORKSPACE, track
from callplatform.models import User
from callplatform.state.session import SessionState, carrying_next
from callplatform.workspaces import joining


def _offer(token: str) -> joining.Offer | None:
    with read_scope() as session:
        return joining.offer(session=session, token=token)


def _accept(login: str, user_id: int, token: str) -> None:
    with session_scope() as session:
        workspace_id = joining.accept(session=session, user=session.get(User, user_id), token=token)
        login_workspace.switch(
            session=session, token=login, user_id=user_id, workspace_id=workspace_id
        )
        track.announce(session, [user_id], WORKSPACE)


class InviteState(SessionState):
    valid: bool = False
    loaded: bool = False
    workspace: str = ""
    inviter: str = ""
    invited_email: str = ""
    role: str = ""
    signed_in_as: str = ""  # "" for a visitor
    error: str = ""
    joining: bool = False

    def _token(self) -> str:
        return str(self.router.page.params.get("token", ""))[:100]

    @rx.var
    def register_href(self) -> str:
        return carrying_next(routes.REGISTER, self.router.url.path)

    @rx.var
    def login_href(self) -> str:
        return carrying_next(routes.LOGIN, self.router.url.path)

    @rx.event
    async def load(self):
        self.error, self.joining = "", False
        offer = await asyncio.to_thread(_offer, self._token())
        user = await self._current_user()
        self.signed_in_as = user.email if user is not None else ""
        self.valid = offer is not None
        if offer is not None:
            self.workspace, self.inviter = offer.workspace, offer.inviter
            self.invited_email, self.role = offer.email, offer.role.value
        self.loaded = True

    @rx.event
    async def accept(self):
        user = await self._current_user()
        if user is None:
            yield rx.redirect(self.login_href)
            return
        self.error, self.joining = "", True
        yield
        try:
            await asyncio.to_thread(_accept, self._session_token(), user.id, self._token())
        except ServiceError as exc:
            self.error = exc.message
            return
        finally:
            self.joining = False
        yield rx.toast.success(f"Welcome to “{self.workspace}”.")
        yield rx.redirect(routes.DASHBOARD)


def _offer_text() -> rx.Component:
    return rx.text(
        rx.text.strong(InviteState.inviter),
        " invited ",
        rx.text.strong(InviteState.invited_email),
        " to join ",
        rx.text.strong(InviteState.workspace),
        " as ",
        InviteState.role,
        ".",
        id="invite-offer",
    )


def _for_visitor() -> rx.Component:
    return rx.vstack(
        rx.link(
            rx.button("Create an account to join", size="3", width="100%"),
            href=InviteState.register_href,
            width="100%",
            id="invite-register",
        ),
        rx.text(
            "Have an account? ",
            rx.link("Log in", href=InviteState.login_href, id="invite-login"),
            " with ",
            InviteState.invited_email,
            ".",
            size="2",
        ),
        width="100%",
        spacing="3",
    )


def _for_user() -> rx.Component:
    return rx.cond(
        InviteState.signed_in_as == InviteState.invited_email,
        rx.button(
            rx.icon("users", size=16),
            "Join " + InviteState.workspace,
            size="3",
            width="100%",
            loading=InviteState.joining,
            on_click=InviteState.accept,
            id="invite-accept",
        ),
        rx.vstack(
            rx.callout(
                "You're logged in as " + InviteState.signed_in_as + ". Log out, then log in "
                "or sign up with " + InviteState.invited_email + " to accept.",
                icon="info",
                color_scheme="amber",
                width="100%",
                id="invite-other-user",
            ),
            rx.button("Log out", variant="soft", on_click=SessionState.logout, width="100%"),
            width="100%",
        ),
    )


def invite_page() -> rx.Component:
    return auth_card(
        rx.cond(
            ~InviteState.loaded,
            rx.center(rx.spinner(size="3")),
            rx.cond(
                InviteState.valid,
                rx.vstack(
                    _offer_text(),
                    form_error(InviteState.error),
                    rx.cond(InviteState.signed_in_as == "", _for_visitor(), _for_user()),
                    width="100%",
                    spacing="4",
                ),
                rx.vstack(
                    rx.callout(
                        "This invitation link is no longer valid: it was used, withdrawn, "
                        "or is more than 7 days old. Ask for a new one.",
                        icon="triangle-alert",
                        color_scheme="amber",
                        id="invite-invalid",
                    ),
                    rx.link("Go to CallPlatform", href=routes.DASHBOARD),
                    width="100%",
                ),
            ),
        ),
        title="You're invited",
        subtitle="Join a team on CallPlatform.",
    )
