"""Which tabs hold a websocket in this process, and keeping their states while they do.

Without Redis, Reflex keeps each tab's page states in this process until
`closed_tab_state_seconds` after the tab's last event (rxconfig): a closed tab's are freed
within minutes instead of Reflex's hour. An open tab sends nothing while it sits idle (no
timers: updates are pushed), so its states are touched here, at each round of the live
task, to keep them as long as its socket is open; an idle tab must not come back to a
reset page (its filters, its softphone) for having been idle.
"""

from __future__ import annotations

import reflex as rx
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex.state import State


def connected_tokens(app: rx.App) -> list[str]:
    """The tokens of the tabs whose websocket is open in this process."""
    namespace = app.event_namespace
    if namespace is None:
        return []
    manager = namespace._token_manager  # noqa: SLF001 - Reflex keeps sockets only here
    here = manager.instance_id
    return [token for token, s in list(manager.token_to_socket.items()) if s.instance_id == here]


def connected_here(app: rx.App, token: str) -> bool:
    """Is the tab's websocket open in this process?"""
    namespace = app.event_namespace
    if namespace is None:
        return False
    manager = namespace._token_manager  # noqa: SLF001 - Reflex keeps sockets only here
    record = manager.token_to_socket.get(token)
    return record is not None and record.instance_id == manager.instance_id


async def keep_states(app: rx.App) -> int:
    """Restart the expiry of every connected tab's states; how many were kept. (Only for
    the in-memory manager: in Redis the states are Redis's to keep.)"""
    manager = app.state_manager
    if not isinstance(manager, StateManagerMemory):
        return 0
    tokens = connected_tokens(app)
    for token in tokens:
        await manager.get_state(BaseStateToken(ident=token, cls=State))
    return len(tokens)
