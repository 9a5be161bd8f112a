"""What can change under a user's eyes, and which tables say so."""

from __future__ import annotations

from callplatform.models import (
    ApiToken,
    AuthSession,
    CallConference,
    Conversation,
    CostItem,
    Message,
    TwilioCall,
    TwilioRecording,
    UserPhoneNumber,
)

CALLS = "calls"  # a call's status, duration, cost; a new call; a call ringing
RECORDINGS = "recordings"  # a recording or voicemail arrived, was played or deleted
NUMBERS = "numbers"  # bought, released, renamed, settings changed
ACCOUNT = "account"  # sessions signed in or ended, API tokens made, used or revoked
MESSAGES = "messages"  # a text arrived, was sent, changed status; a thread was read
# Joined, left or removed from a workspace, role changed; a team's members or invitations
# changed (announced to everyone in the team: `track.announce`).
WORKSPACE = "workspace"
TOPICS = frozenset({CALLS, RECORDINGS, NUMBERS, ACCOUNT, MESSAGES, WORKSPACE})

# Rows of one user's own (each has the user's `user_id`).
TOPIC_OF_TABLE: dict[type, str] = {
    AuthSession: ACCOUNT,
    ApiToken: ACCOUNT,
}

# Rows of a workspace's number (each has `workspace_id` and `number_id`; a number is its
# own `id`): told to every member who may see the number (its admins and owners, the
# members assigned to it) and to who handled the row's call (`handled_by`). A row of no
# number is told to the workspace's admins and owners (and its handler).
TOPIC_OF_NUMBER_TABLE: dict[type, str] = {
    Message: MESSAGES,
    Conversation: MESSAGES,
    TwilioCall: CALLS,
    CostItem: CALLS,
    CallConference: CALLS,  # held, transferring, handed over
    UserPhoneNumber: NUMBERS,
}

# Rows of a workspace without a number of their own: told to all of its members (each
# tab reads again what it may see).
TOPIC_OF_WORKSPACE_TABLE: dict[type, str] = {
    TwilioRecording: RECORDINGS,
}
