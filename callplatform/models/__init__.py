"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from callplatform.models.telephony import (
    NumberStatus,
    TwilioCall,
    TwilioRecording,
    TwilioSubaccount,
    UserPhoneNumber,
    WebhookEvent,
)
from callplatform.models.users import AuthSession, LoginThrottle, Role, User

__all__ = [
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
