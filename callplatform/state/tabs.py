"""The tabs this process holds a websocket for, by the user signed in to each.

A private page's on_load (`SessionState.require_login`) files its tab here; the live bus's
notices for a user go to exactly these tabs (`state/live.py`). A tab filed here whose
socket closed is dropped when next seen. Only the process that holds the socket files
the tab: Reflex runs a tab's events where its socket is.
"""

from __future__ import annotations

_user_of: dict[str, int] = {}
_tabs_of: dict[int, set[str]] = {}


def join(token: str, user_id: int) -> bool:
    """File `token` under `user_id` (a tab can change user); True if it is new here."""
    previous = _user_of.get(token)
    if previous == user_id:
        return False
    leave(token)
    _user_of[token] = user_id
    _tabs_of.setdefault(user_id, set()).add(token)
    return True


def leave(token: str) -> None:
    user_id = _user_of.pop(token, None)
    if user_id is not None:
        tabs = _tabs_of.get(user_id, set())
        tabs.discard(token)
        if not tabs:
            _tabs_of.pop(user_id, None)


def of_user(user_id: int) -> list[str]:
    return list(_tabs_of.get(user_id, ()))


def users() -> list[int]:
    return list(_tabs_of)


def tokens() -> list[str]:
    return list(_user_of)


def clear() -> None:
    _user_of.clear()
    _tabs_of.clear()
