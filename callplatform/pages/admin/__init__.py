"""The Admin page: platform analytics, users, spend controls and the audit log."""

from callplatform.pages.admin.analytics import AnalyticsState
from callplatform.pages.admin.audit import AuditState
from callplatform.pages.admin.page import AdminState, admin_page
from callplatform.pages.admin.spend_settings import SpendSettingsState

__all__ = ["AdminState", "AnalyticsState", "AuditState", "SpendSettingsState", "admin_page"]
