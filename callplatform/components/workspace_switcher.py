"""The header's workspace switcher: for a user in more than one workspace only."""

from __future__ import annotations

import reflex as rx

from callplatform import routes
from callplatform.state.workspace import WorkspaceState


def workspace_switcher() -> rx.Component:
    """The workspaces the user may act in; only for a user in more than one."""
    return rx.cond(
        WorkspaceState.choices.length() > 1,
        rx.menu.root(
            rx.menu.trigger(
                rx.button(
                    rx.icon("building-2", size=16),
                    rx.text(
                        WorkspaceState.workspace_name,
                        max_width="12rem",
                        # On a phone the bar has no room: the menu names them all.
                        display=["none", "inline"],
                        overflow="hidden",
                        text_overflow="ellipsis",
                        white_space="nowrap",
                    ),
                    rx.icon("chevron-down", size=14),
                    variant="outline",
                    id="workspace-switcher",
                    aria_label="Switch workspace",
                )
            ),
            rx.menu.content(
                rx.foreach(
                    WorkspaceState.choices,
                    lambda choice: rx.menu.item(
                        rx.hstack(
                            rx.cond(
                                choice["id"] == WorkspaceState.workspace_id,
                                rx.icon("check", size=14),
                                rx.box(width="14px"),
                            ),
                            rx.text(choice["name"]),
                            align="center",
                        ),
                        on_click=WorkspaceState.switch(choice["id"]),
                        class_name="workspace-choice",
                    ),
                ),
                rx.menu.separator(),
                rx.menu.item(rx.link("Manage team", href=routes.TEAM, underline="none")),
            ),
        ),
    )
