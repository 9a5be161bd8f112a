"""Live updates: telling a user's open tabs that something of theirs changed.

`publish(user_id, topics)` after a commit (the webhook fast path does; ORM sessions do it
themselves, `track`); the UI side (`state/live.py`) listens on the bus and pushes one
event to each of that user's tabs. Topics name what changed, not how.
"""

from callplatform.live import track  # noqa: F401  (installs the ORM session hooks)
from callplatform.live.bus import publish
from callplatform.live.topics import (
    ACCOUNT,
    CALLS,
    MESSAGES,
    NUMBERS,
    RECORDINGS,
    TOPICS,
    WORKSPACE,
)

__all__ = [
    "ACCOUNT",
    "CALLS",
    "MESSAGES",
    "NUMBERS",
    "RECORDINGS",
    "TOPICS",
    "WORKSPACE",
    "publish",
]
