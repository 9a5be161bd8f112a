"""The Usage page: the month's costs by kind, number and day, and the spend cap."""

from callplatform.pages.usage.page import usage_page
from callplatform.pages.usage.state import UsageState

__all__ = ["UsageState", "usage_page"]
