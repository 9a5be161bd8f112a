"""Command line: `python -m callplatform.cli create-admin --email you@example.com`.

The password comes from --password, the CP_ADMIN_PASSWORD variable, or a prompt.
An existing user with that email is promoted instead.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from callplatform.accounts import auth
from callplatform.common import audit
from callplatform.common.errors import ServiceError
from callplatform.db import session_scope
from callplatform.models import Role


def create_admin(email: str, password: str | None) -> str:
    with session_scope() as session:
        user = auth.get_user_by_email(session=session, email=email)
        if user:
            user.role = Role.ADMIN
            session.add(user)
            _audit(session, user, created=False)
            return f"{user.email} is now an admin."
        password = password or os.environ.get("CP_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        user = auth.create_user(session=session, email=email, password=password, role=Role.ADMIN)
        session.flush()
        _audit(session, user, created=True)
        return f"Created admin {user.email}."


def _audit(session, user, *, created: bool) -> None:
    """Promotions from the command line are audited like the admin page's (no actor: the
    operator at the server's shell)."""
    audit.record(
        session=session,
        action="admin.promote",
        target_id=user.id,
        client="command line",
        via="command line",
        created="yes" if created else "no",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="callplatform")
    sub = parser.add_subparsers(dest="command", required=True)
    admin = sub.add_parser("create-admin", help="create an admin, or promote a user")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password")
    args = parser.parse_args(argv)
    try:
        print(create_admin(args.email, args.password))
    except ServiceError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
