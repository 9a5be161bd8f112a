"""Password hashing (argon2 via passlib) and the rules a new password must meet."""

from __future__ import annotations

import functools

from passlib.context import CryptContext

from callplatform.common.errors import ValidationError
from callplatform.config import get_settings

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

# argon2's work factors. passlib's defaults (64 MiB, 3 passes) cost ~130 ms a hash here,
# which is the point; the test suite (APP_ENV=test, never a deployment) hashes thousands
# of passwords and takes the cheapest parameters instead. A hash carries its parameters,
# so either kind verifies under the other.
_TEST_COST = {"argon2__memory_cost": 1024, "argon2__time_cost": 1, "argon2__parallelism": 1}


@functools.cache
def _context(app_env: str) -> CryptContext:
    cost = _TEST_COST if app_env == "test" else {}
    return CryptContext(schemes=["argon2"], deprecated="auto", **cost)


def _current() -> CryptContext:
    return _context(get_settings().app_env)


def hash_password(password: str) -> str:
    return _current().hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _current().verify(password, password_hash)
    except (ValueError, TypeError):
        return False


@functools.cache
def _dummy_hash(app_env: str) -> str:
    return hash_password("not-a-real-password-used-for-timing")


def burn_verify_time(password: str) -> None:
    """Spend what a real verify costs, so a missing account answers in the same time."""
    verify_password(password, _dummy_hash(get_settings().app_env))


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
