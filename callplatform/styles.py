"""Design tokens shared by the pages: spacing, widths, the theme."""

import reflex as rx

THEME = rx.theme(accent_color="indigo", gray_color="slate", radius="medium", scaling="100%")
SIDEBAR_WIDTH = "15rem"
CONTENT_MAX_WIDTH = "72rem"
PAGE_PADDING = ["1rem", "1rem", "2rem"]
CARD_GAP = "1rem"
