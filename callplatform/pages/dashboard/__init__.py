"""The Dashboard: the page a user opens each morning."""

from callplatform.pages.dashboard.page import dashboard_page
from callplatform.pages.dashboard.state import DashboardState

__all__ = ["DashboardState", "dashboard_page"]
