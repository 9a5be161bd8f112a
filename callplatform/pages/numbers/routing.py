"""The Numbers page's way into a number's call routing: a button to its routing page
(`routing_editor`), where the routing is read and, by admins and owners, changed."""

from __future__ import annotations

import reflex as rx


def routing_path(number_id) -> str:
    return f"/numbers/{number_id}/routing"


def routing_button(number_id) -> rx.Component:
    return rx.icon_button(
        rx.link(rx.icon("git-fork", size=14), href=routing_path(number_id)),
        as_child=True,
        variant="soft",
        aria_label="Call routing",
        class_name="number-routing",
    )
