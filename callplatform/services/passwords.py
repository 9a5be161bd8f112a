"""Password hashing (argon2 via passlib) and the rules a new password must meet."""

from __future__ import annotations

import functools

from passlib.context import CryptContext

from callplatform.services.errors import ValidationError

MIN_PASSWORD_LENGTH = 10
# argon2 hashes any length, so nothing is truncated; the cap only bounds hashing work.
MAX_PASSWORD_LENGTH = 256
_COMMON = {
    "password",
    "password1",
    "password123",
    "123456789",
    "1234567890",
    "qwertyuiop",
    "letmein123",
    "iloveyou12",
    "changeme123",
    "welcome123",
    "admin12345",
}

_context = CryptContext(schemes=["argon2"], deprecated="auto")


def hash_password(password: str) -> str:
    return _context.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _context.verify(password, password_hash)
    except (ValueError, TypeError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-used-for-timing")


def burn_verify_time(password: str) -> None:
    """Spend what a real verify costs, so a missing account answers in the same time."""
    verify_password(password, _dummy_hash())


def check_password_rules(password: str, *, email: str = "") -> None:
    """Raise ValidationError (field 'password') for a weak or overlong password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Use at least {MIN_PASSWORD_LENGTH} characters.", field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"Use at most {MAX_PASSWORD_LENGTH} characters.", field="password")
    lowered = password.lower()
    if lowered in _COMMON or len(set(password)) < 4:
        raise ValidationError("That password is too easy to guess.", field="password")
    if email and email.split("@")[0].lower() in lowered and len(email.split("@")[0]) >= 4:
        raise ValidationError("Don't use your email in your password.", field="password")
