"""The Numbers page: search, buy, rename, record and release numbers."""

from callplatform.pages.numbers.page import numbers_page
from callplatform.pages.numbers.state import NumbersState

__all__ = ["NumbersState", "numbers_page"]
