"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from callplatform.models.admin import (
    AuditEvent,
    CallAttempt,
    DailyTotal,
    DailyUsage,
    PlatformSetting,
    SweepLease,
    UsageToDate,
    UsageTotal,
)
from callplatform.models.api import ApiToken, IdempotencyKey
from callplatform.models.call_search import CallParty, CallPartyDigits
from callplatform.models.call_words import (
    FINAL_STATUSES,
    UNSUCCESSFUL_STATUSES,
    CallDirection,
    CallStatus,
    status_label,
)
from callplatform.models.conferences import CallConference
from callplatform.models.contacts import Contact, ContactNumber
from callplatform.models.messages import Conversation, Message, MessageMedia, OptOut
from callplatform.models.routing import CallRouteEvent, NumberRouting
from callplatform.models.telephony import (
    ClientPresence,
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
from callplatform.models.workspaces import (
    Invitation,
    NumberAssignment,
    Workspace,
    WorkspaceMember,
    WorkspaceRole,
)

__all__ = [
    "CallConference",
    "CallRouteEvent",
    "NumberRouting",
    "FINAL_STATUSES",
    "UNSUCCESSFUL_STATUSES",
    "CallDirection",
    "CallStatus",
    "status_label",
    "ApiToken",
    "Invitation",
    "CallParty",
    "CallPartyDigits",
    "IdempotencyKey",
    "AuditEvent",
    "CallAttempt",
    "DailyTotal",
    "DailyUsage",
    "PlatformSetting",
    "SweepLease",
    "UsageToDate",
    "UsageTotal",
    "ClientPresence",
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
    "NumberAssignment",
    "Workspace",
    "WorkspaceMember",
    "WorkspaceRole",
    "Conversation",
    "Message",
    "MessageMedia",
    "OptOut",
    "Contact",
    "ContactNumber",
]
