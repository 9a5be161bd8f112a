"""The API tokens card of the Settings page (its state: api_tokens_state)."""

from __future__ import annotations

import reflex as rx

from callplatform.components.forms import confirm_dialog, form_error
from callplatform.components.when import when
from callplatform.pages.settings.api_tokens_state import NEW_TOKEN_INPUT, ApiTokensState, TokenView

S = ApiTokensState
COPY_SCRIPT = f"navigator.clipboard.writeText(document.getElementById('{NEW_TOKEN_INPUT}').value)"


def _new_token_box() -> rx.Component:
    # Always in the page (hidden until a token is made) so rx.set_value can fill it.
    return rx.callout.root(
        rx.vstack(
            rx.text("Copy your new token now. It won't be shown again.", weight="bold"),
            rx.hstack(
                rx.el.input(
                    id=NEW_TOKEN_INPUT,
                    read_only=True,
                    style={"flex": "1", "font_family": "monospace", "padding": "0.4rem"},
                ),
                rx.button(rx.icon("copy", size=14), "Copy", on_click=rx.call_script(COPY_SCRIPT)),
                rx.button("Done", variant="soft", on_click=S.hide_token),
                width="100%",
            ),
            width="100%",
        ),
        color_scheme="green",
        width="100%",
        display=rx.cond(S.token_shown, "flex", "none"),
    )


def _row(token: TokenView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(token.name),
        rx.table.cell(rx.code(token.prefix, "…")),
        rx.table.cell(when(token.created_at, format="MMM D, YYYY HH:mm")),
        rx.table.cell(
            rx.cond(
                token.last_used_at,
                when(token.last_used_at, from_now=True),
                rx.text("Never", color=rx.color("gray", 10)),
            )
        ),
        rx.table.cell(
            rx.button(
                "Revoke",
                size="1",
                color_scheme="red",
                variant="soft",
                on_click=S.ask_revoke(token.id),
            )
        ),
    )


def _revoke_dialog() -> rx.Component:
    return confirm_dialog(
        title=["Revoke “", S.revoke_name, "”?"],
        description="Anything using this token stops working at once. This can't be undone.",
        confirm_label="Revoke token",
        confirm_id="confirm-revoke",
        open=S.revoke_id != 0,
        on_cancel=S.cancel_revoke,
        on_confirm=S.confirm_revoke,
    )


def api_tokens_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("API tokens", size="4"),
            rx.text(
                "Tokens let your own scripts use the CallPlatform API as you. ",
                rx.link("API reference", href="/api/docs", is_external=True),
                color=rx.color("gray", 11),
            ),
            _new_token_box(),
            rx.form(
                rx.hstack(
                    rx.input(name="name", id="token-name", placeholder="Token name, e.g. CRM sync"),
                    rx.button("Create token", type="submit", loading=S.creating),
                ),
                on_submit=S.create,
                reset_on_submit=True,
            ),
            form_error(S.name_error),
            rx.cond(
                S.tokens.length() > 0,
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                *[
                                    rx.table.column_header_cell(h)
                                    for h in ("Name", "Token", "Created", "Last used", "")
                                ]
                            )
                        ),
                        rx.table.body(rx.foreach(S.tokens, _row)),
                        width="100%",
                    ),
                    overflow_x="auto",
                    width="100%",
                ),
                rx.text(
                    "No tokens yet. Create one to call the API from your own code.",
                    color=rx.color("gray", 10),
                    id="no-tokens",
                ),
            ),
            _revoke_dialog(),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
