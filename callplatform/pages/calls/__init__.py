"""The Calls page: the call log with its filters, paging and CSV export."""

from callplatform.pages.calls.page import calls_page
from callplatform.pages.calls.state import CallsState

__all__ = ["CallsState", "calls_page"]
