"""Who may do what, beyond owning a row: the admin check every admin service makes."""

from __future__ import annotations

from callplatform.common.errors import PermissionDenied
from callplatform.models import Role, User


def require_admin(user: User | None) -> User:
    if user is None or user.role != Role.ADMIN or user.is_suspended:
        raise PermissionDenied("Only administrators can do that.")
    return user
