"""Accounts: register, log in, log out, change password.

Login answers the same way, in about the same time, whether or not the email exists;
failures are throttled per account-and-client and per client (see `throttle`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from callplatform.accounts import passwords, sessions, throttle
from callplatform.common import audit, text_input
from callplatform.common.errors import AuthenticationError, ValidationError
from callplatform.models import Role, User
from callplatform.models.base import utcnow
from callplatform.workspaces import membership

EMAIL_RE = re.compile(
    r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
BAD_LOGIN = "Email or password is incorrect."


@dataclass(frozen=True)
class LoginResult:
    user_id: int
    token: str


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    email = normalize_email(email)
    if not email:
        raise ValidationError("Enter your email address.", field="email")
    if len(email) > 254 or text_input.has_control(email) or not EMAIL_RE.match(email):
        raise ValidationError("Enter a valid email address, like name@example.com.", field="email")
    return email


def get_user_by_email(*, session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalize_email(email))).first()


def create_user(*, session: Session, email: str, password: str, role: Role = Role.USER) -> User:
    """Register an account. Raises ValidationError beside the offending field."""
    email = check_email(email)
    passwords.check_password_rules(password, email=email)
    if get_user_by_email(session=session, email=email):
        raise ValidationError("An account with this email already exists.", field="email") from None
    user = User(email=email, password_hash=passwords.hash_password(password), role=role)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # lost a race with another registration of the same email
        session.rollback()
        raise ValidationError("An account with this email already exists.", field="email") from None
    membership.create_personal(session=session, user=user)
    return user


def authenticate(*, session: Session, email: str, password: str, client: str) -> User:
    """The user these credentials belong to; failures are committed, then raised. Shared
    by the login form and the API's token endpoint, so both are throttled alike."""
    email = normalize_email(email)
    if text_input.has_control(email):
        # No account has such an email, and the throttle's keys could not hold it: the
        # same answer as any wrong password, in the same time, with nothing stored.
        passwords.burn_verify_time(password)
        raise AuthenticationError(BAD_LOGIN)
    throttle.check_not_locked(session=session, email=email, client=client)
    user = get_user_by_email(session=session, email=email) if email else None
    if user is None:
        passwords.burn_verify_time(password)
        ok = False
    else:
        ok = passwords.verify_password(
            password[: passwords.MAX_PASSWORD_LENGTH * 4], user.password_hash
        )
    if not ok or user is None:
        locked = throttle.record_failure(session=session, email=email, client=client)
        audit.record(
            session=session,
            action="login.locked" if locked else "login.failed",
            target_id=user.id if user else None,
            client=client,
            email=email[:100],
        )
        session.commit()
        throttle.check_not_locked(session=session, email=email, client=client)
        raise AuthenticationError(BAD_LOGIN)
    if user.is_suspended:
        raise AuthenticationError("This account is suspended. Contact support.")
    throttle.clear(session=session, email=email, client=client)
    return user


def login(*, session: Session, email: str, password: str, client: str) -> LoginResult:
    """Check the credentials and start a browser session."""
    user = authenticate(session=session, email=email, password=password, client=client)
    return LoginResult(
        user_id=user.id, token=sessions.create_session(session=session, user_id=user.id)
    )


def begin_browser_login(*, session: Session, email: str, password: str, client: str) -> str:
    """Check the credentials and return the one-time code a browser trades for its
    session cookie (see `sessions`)."""
    user = authenticate(session=session, email=email, password=password, client=client)
    return sessions.create_handoff(session=session, user_id=user.id)


def logout(*, session: Session, token: str) -> None:
    sessions.revoke_session(session=session, token=token)


def change_password(
    *, session: Session, user: User, current_password: str, new_password: str, keep_token: str
) -> None:
    """Change the password and revoke every other session of the user."""
    if not passwords.verify_password(current_password, user.password_hash):
        raise ValidationError("Your current password is not correct.", field="current_password")
    passwords.check_password_rules(new_password, email=user.email)
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    session.add(user)
    sessions.revoke_user_sessions(session=session, user_id=user.id, keep_token=keep_token)


def count_admins(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(User).where(User.role == Role.ADMIN)).one()
