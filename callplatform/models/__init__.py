"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from callplatform.models.telephony import (
    CostItem,
    CostKind,
    NumberStatus,
    TwilioCall,
    TwilioRecording,
    TwilioSubaccount,
    UserPhoneNumber,
    WebhookEvent,
)
from callplatform.models.users import AuthSession, LoginThrottle, Role, User

__all__ = [
    "CostItem",
    "CostKind",
    "AuthSession",
    "LoginThrottle",
    "NumberStatus",
    "Role",
    "TwilioCall",
    "TwilioRecording",
    "TwilioSubaccount",
    "User",
    "UserPhoneNumber",
    "WebhookEvent",
]
