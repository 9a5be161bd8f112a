"""Domain errors the services raise; each carries a message fit to show a user."""

from __future__ import annotations


class ServiceError(Exception):
    """Base: `message` is shown to the user; `field` names the input it is about."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class ValidationError(ServiceError):
    pass


class AuthenticationError(ServiceError):
    def __init__(self, message: str = "Please log in to continue."):
        super().__init__(message, code="unauthenticated")


class PermissionDenied(ServiceError):
    def __init__(self, message: str = "You don't have access to that."):
        super().__init__(message, code="forbidden")


class NotFound(ServiceError):
    """Also raised for other users' objects, so their existence is never revealed."""

    def __init__(self, message: str = "Not found."):
        super().__init__(message, code="not_found")


class RateLimited(ServiceError):
    def __init__(self, message: str, *, retry_after_seconds: int):
        super().__init__(message, code="rate_limited")
        self.retry_after_seconds = retry_after_seconds


class PhoneServiceError(ServiceError):
    """Twilio failed us. `twilio_error`: it answered with a refusal (the API says 502);
    `twilio_unavailable`: it could not be reached, timed out, was overloaded, or refused
    the platform's own credentials (503, with `retry_after_seconds` when Twilio gave one).
    """

    def __init__(
        self,
        message: str,
        *,
        unavailable: bool,
        field: str | None = None,
        retry_after_seconds: int | None = None,
    ):
        super().__init__(
            message, field=field, code="twilio_unavailable" if unavailable else "twilio_error"
        )
        self.retry_after_seconds = retry_after_seconds
