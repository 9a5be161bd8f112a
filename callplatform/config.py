"""Settings from the environment (and an optional `.env`), checked once at start.

Every setting has a documented default in `.env.example`. The app secret is never a
constant: SECRET_KEY when set, else (development only) a random one generated on the
first run and kept in SECRET_KEY_FILE. Outside development a missing or short
SECRET_KEY stops the app.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import os
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from callplatform import secret_file

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Secrets that were published (the example value .env.example once carried): a copy of
# that file must not make the app run with a key anyone can read.
PUBLISHED_SECRETS = frozenset({"dev-insecure-secret-change-me"})


class Settings(BaseSettings):
    """All configuration. Secrets are plain fields here and never reach UI state."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", extra="ignore", case_sensitive=False
    )

    app_env: str = Field("development", pattern="^(development|test|production)$")
    # Empty: in development, the secret generated once into `secret_key_file`.
    secret_key: str = ""
    secret_key_file: Path = PROJECT_ROOT / ".secret_key"
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'callplatform.db'}"
    redis_url: str = ""
    app_port: int = 3000
    public_base_url: str = ""

    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_api_key_sid: str = ""
    twilio_api_key_secret: str = ""
    twilio_api_base_url: str = ""
    twilio_timeout_seconds: float = 15.0
    # Webhook Rules' shared keys (comma-separated while rotating): a webhook that names
    # a shared-key signature is checked against these, and refused when none is set.
    twilio_webhook_shared_keys: str = ""

    # How often the reconciliation sweep re-reads open or unpriced calls from Twilio.
    sweep_interval_seconds: float = Field(60.0, gt=0)
    # A closed tab's page states are freed this long after its last event (in-process
    # states; open tabs keep theirs, see state/open_tabs.py).
    closed_tab_state_seconds: int = Field(300, gt=0)

    markup_percent: Decimal = Decimal("20")
    session_ttl_hours: int = 24 * 7
    # Public API requests per caller per minute (then 429 with Retry-After).
    api_requests_per_minute: int = Field(120, gt=0)
    # Text messages a workspace may send per minute (then "Too many requests").
    messages_per_minute: int = Field(30, gt=0)
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    # Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto we believe: addresses or
    # networks, comma-separated ("10.0.0.0/8, 127.0.0.1"). Empty: nobody's, and a request
    # comes from its connection's peer (anyone can write those headers).
    trusted_proxies: str = ""
    # Where invitations are mailed from: smtp://user:password@host:port (STARTTLS when
    # the server offers it) or smtps://... (TLS from the start). Empty: no mail is sent,
    # and inviters copy the link. SMTP_FROM: the sender ("Name <address>").
    smtp_url: str = ""
    smtp_from: str = ""

    @field_validator("public_base_url", "twilio_api_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        for part in value.split(","):
            if part.strip():
                ipaddress.ip_network(part.strip(), strict=False)  # ValueError names the typo
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str) -> str:
        if value:
            parts = urlsplit(value)
            if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
                raise ValueError("SMTP_URL looks like smtp://user:password@host:587")
            parts.port  # noqa: B018 - ValueError for a port that isn't a number
        return value

    @property
    def webhook_shared_keys(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.twilio_webhook_shared_keys.split(",") if k.strip())

    @model_validator(mode="after")
    def _secret_from_file(self) -> Settings:
        if not self.secret_key and self.is_development:
            self.secret_key = secret_file.load_or_create(self.secret_key_file)
        return self

    @property
    def is_development(self) -> bool:
        return self.app_env == "development"

    @property
    def uses_sandbox(self) -> bool:
        """No Twilio credentials: the built-in sandbox plays Twilio."""
        return not self.twilio_account_sid

    @property
    def base_url(self) -> str:
        """Public address Twilio calls back (webhooks) and links are built from."""
        return self.public_base_url or f"http://127.0.0.1:{self.app_port}"

    def check(self) -> None:
        """Refuse a published secret anywhere, and a missing or short one outside
        development (where an unset secret is generated; see `_secret_from_file`)."""
        if self.secret_key in PUBLISHED_SECRETS:
            raise RuntimeError(
                "SECRET_KEY is the published example value; remove it from the "
                "environment or .env (development then generates one) or set a random one."
            )
        if not self.is_development and len(self.secret_key) < 16:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of 16+ characters "
                f"when APP_ENV={self.app_env}."
            )
        if self.twilio_account_sid and not self.twilio_auth_token:
            raise RuntimeError("TWILIO_AUTH_TOKEN is required with TWILIO_ACCOUNT_SID.")

    def derived_key(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose, derived from the app secret."""
        return hashlib.sha256(f"{purpose}:{self.secret_key}".encode()).digest()


@functools.cache
def get_settings() -> Settings:
    settings = Settings()
    settings.check()
    return settings


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment)."""
    get_settings.cache_clear()


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}
