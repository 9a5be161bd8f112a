"""The Settings page: the account's password and personal API tokens."""

from callplatform.pages.settings.api_tokens_state import ApiTokensState
from callplatform.pages.settings.page import settings_page

__all__ = ["ApiTokensState", "settings_page"]
