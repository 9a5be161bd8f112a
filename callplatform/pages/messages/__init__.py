"""The Messages page: the inbox, threads, a new message, search; live by push."""

from callplatform.pages.messages.compose_state import ComposerState
from callplatform.pages.messages.page import inbox_page, new_message_page, thread_page
from callplatform.pages.messages.state import MessagesState

__all__ = ["ComposerState", "MessagesState", "inbox_page", "new_message_page", "thread_page"]
