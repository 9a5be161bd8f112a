"""The app shell: sidebar navigation, top bar with the user menu, page content."""

from __future__ import annotations

import reflex as rx

from callplatform import routes, styles
from callplatform.components.softphone import softphone
from callplatform.components.workspace_switcher import workspace_switcher
from callplatform.state.session import SessionState
from callplatform.state.unread import UnreadState
from callplatform.state.workspace import WorkspaceState

NAV = [
    ("Dashboard", routes.DASHBOARD, "layout-dashboard"),
    ("Messages", routes.MESSAGES, "message-square"),
    ("Numbers", routes.NUMBERS, "hash"),
    ("Calls", routes.CALLS, "phone"),
    ("Recordings", routes.RECORDINGS, "mic"),
    ("Contacts", routes.CONTACTS, "contact"),
    ("Usage", routes.USAGE, "chart-column"),
]
ADMIN_NAV = ("Admin", routes.ADMIN, "shield")
# Shown once the user is not alone (others in the workspace, invited, or more workspaces);
# a solo user finds "Invite your team" in the user menu instead.
TEAM_NAV = ("Team", routes.TEAM, "users")


def _unread_badge(label: str) -> rx.Component | None:
    """Beside "Messages": how many texts nobody has read yet."""
    if label != "Messages":
        return None
    return rx.cond(
        UnreadState.unread_texts > 0,
        rx.badge(
            UnreadState.unread_label,
            radius="full",
            variant="solid",
            class_name="unread-texts",
            aria_label="unread texts",
        ),
    )


def _nav_link(label: str, href: str, icon: str, active: bool) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=18),
            rx.text(label, size="3"),
            *([badge] if (badge := _unread_badge(label)) is not None else []),
            align="center",
            spacing="3",
        ),
        href=href,
        underline="none",
        color=rx.color("accent", 11) if active else rx.color("gray", 12),
        background=rx.color("accent", 3) if active else "transparent",
        padding="0.5rem 0.75rem",
        border_radius="var(--radius-3)",
        width="100%",
        _hover={"background": rx.color("accent", 4)},
        aria_current="page" if active else None,
    )


def _nav_links(active: str) -> rx.Component:
    label, href, icon = ADMIN_NAV
    team_label, team_href, team_icon = TEAM_NAV
    return rx.vstack(
        *[_nav_link(text, link, ico, text == active) for text, link, ico in NAV],
        rx.cond(
            WorkspaceState.shows_team,
            _nav_link(team_label, team_href, team_icon, team_label == active),
        ),
        rx.cond(SessionState.is_admin, _nav_link(label, href, icon, label == active)),
        spacing="1",
        width="100%",
    )


def _brand() -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon("phone-call", size=22), rx.heading("CallPlatform", size="4")),
        href=routes.DASHBOARD,
        underline="none",
        color=rx.color("gray", 12),
    )


def _sidebar(active: str) -> rx.Component:
    return rx.box(
        rx.vstack(_brand(), rx.divider(), _nav_links(active), spacing="4", padding="1rem"),
        width=styles.SIDEBAR_WIDTH,
        min_width=styles.SIDEBAR_WIDTH,
        height="100vh",
        position="sticky",
        top="0",
        border_right=f"1px solid {rx.color('gray', 5)}",
        display=["none", "none", "block"],
    )


def _mobile_menu(active: str) -> rx.Component:
    items = [*NAV]
    return rx.box(
        rx.menu.root(
            rx.menu.trigger(
                rx.icon_button(
                    rx.icon("menu"),
                    rx.cond(  # unread texts behind the menu: a dot on it
                        UnreadState.unread_texts > 0,
                        rx.box(
                            position="absolute",
                            top="2px",
                            right="2px",
                            width="0.55rem",
                            height="0.55rem",
                            border_radius="50%",
                            background=rx.color("accent", 9),
                            class_name="menu-unread",
                        ),
                    ),
                    variant="ghost",
                    aria_label="Menu",
                    position="relative",
                )
            ),
            rx.menu.content(
                *[
                    rx.menu.item(
                        rx.link(text, href=link, underline="none"),
                        *([badge] if (badge := _unread_badge(text)) is not None else []),
                    )
                    for text, link, _ in items
                ],
                rx.cond(
                    WorkspaceState.shows_team,
                    rx.menu.item(rx.link("Team", href=routes.TEAM, underline="none")),
                ),
                rx.cond(SessionState.is_admin, rx.menu.item(rx.link("Admin", href=routes.ADMIN))),
            ),
        ),
        display=["block", "block", "none"],
    )


def user_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("circle-user", size=18),
                rx.text(
                    rx.cond(
                        SessionState.display_name != "",
                        SessionState.display_name,
                        SessionState.user_email,
                    ),
                    display=["none", "inline"],
                ),
                rx.icon("chevron-down", size=14),
                variant="soft",
                id="user-menu",
            )
        ),
        rx.menu.content(
            rx.menu.item(rx.link("Settings", href=routes.SETTINGS, underline="none")),
            rx.cond(
                ~WorkspaceState.shows_team,
                rx.menu.item(
                    rx.link("Invite your team", href=routes.TEAM, underline="none"),
                    id="invite-your-team",
                ),
            ),
            rx.menu.separator(),
            rx.menu.item("Log out", on_click=SessionState.logout, color="red", id="logout"),
        ),
    )


def _topbar(active: str, title: str) -> rx.Component:
    return rx.hstack(
        _mobile_menu(active),
        rx.heading(title, size="6", white_space="nowrap"),
        rx.spacer(),
        workspace_switcher(),
        rx.color_mode.button(variant="ghost", aria_label="Toggle theme"),
        user_menu(),
        align="center",
        width="100%",
        padding_y="0.75rem",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        margin_bottom="1.5rem",
    )


def page_shell(*children: rx.Component, active: str, title: str) -> rx.Component:
    """A private page: navigation around `children`."""
    return rx.hstack(
        _sidebar(active),
        rx.box(
            _topbar(active, title),
            rx.vstack(*children, spacing="5", width="100%"),
            flex="1",
            min_width="0",
            max_width=styles.CONTENT_MAX_WIDTH,
            padding_x=styles.PAGE_PADDING,
            # Room below the last row for the phone button fixed at the bottom right, so
            # nothing ends up under it once scrolled to the end (phones especially).
            padding_bottom="7rem",
        ),
        softphone(),
        spacing="0",
        align="start",
        width="100%",
    )


def empty_state(icon: str, title: str, text: str, action: rx.Component | None = None):
    """What a page shows before there is anything: what it is and what to do next."""
    return rx.card(
        rx.vstack(
            rx.icon(icon, size=36, color=rx.color("gray", 9)),
            rx.heading(title, size="4"),
            rx.text(text, color=rx.color("gray", 11), text_align="center", max_width="32rem"),
            *([action] if action is not None else []),
            align="center",
            spacing="3",
            padding="2rem",
        ),
        width="100%",
    )
