"""Builds the Twilio SDK clients the gateway uses, and decides where they send requests.

The SDK has no base-URL option; its supported hook is `Client(http_client=...)`. Our
`RedirectingHttpClient` rewrites `https://*.twilio.com/...` to a configured base so the
very same SDK code path talks to Twilio, the built-in sandbox or a contract-test mock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from callplatform.config import get_settings

from . import retry_after
from .types import AccountCredentials

# One client per subaccount in use; bounded so a large user base cannot grow it forever.
_MAX_CLIENTS = 512


_platform_account: Callable[[], AccountCredentials] | None = None


def use_platform_account(source: Callable[[], AccountCredentials]) -> None:
    """Without Twilio credentials, whoever plays Twilio (the built-in sandbox, mounted by
    `callplatform.http_app`) tells telephony its master account through this."""
    global _platform_account
    _platform_account = source


def platform_credentials() -> AccountCredentials:
    """The platform's own (master) account: configured, or the sandbox's when unset."""
    settings = get_settings()
    if settings.uses_sandbox:
        if _platform_account is None:
            raise RuntimeError("No Twilio credentials and no sandbox mounted.")
        return _platform_account()
    return AccountCredentials(
        sid=settings.twilio_account_sid, auth_token=settings.twilio_auth_token
    )


def api_base_url() -> str | None:
    """Where Twilio API requests go instead of Twilio, or None to talk to Twilio itself."""
    settings = get_settings()
    if settings.twilio_api_base_url:
        return settings.twilio_api_base_url
    if settings.uses_sandbox:
        return f"http://127.0.0.1:{settings.app_port}/_sandbox/twilio"
    return None


def rewrite_url(url: str, base_url: str | None) -> str:
    """`url` moved onto `base_url` when it targets a Twilio host; unchanged otherwise.

    Scheme and host (with port) come from the base, the base's path is prefixed, and the
    original path and query are kept: https://api.twilio.com/2010-04-01/X.json with base
    http://127.0.0.1:3000/_sandbox/twilio becomes http://127.0.0.1:3000/_sandbox/twilio/2010-04-01/X.json.
    """
    if not base_url:
        return url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not (host == "twilio.com" or host.endswith(".twilio.com")):
        return url
    base = urlsplit(base_url)
    path = base.path.rstrip("/") + (parts.path or "/")
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))


class RedirectingHttpClient(TwilioHttpClient):
    """The SDK's HTTP client, sending Twilio-bound requests to `base_url` when set."""

    def __init__(self, *, base_url: str | None, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url

    def request(self, method: str, url: str, *args, **kwargs) -> Response:
        response = super().request(method, rewrite_url(url, self.base_url), *args, **kwargs)
        # The SDK's exceptions drop the headers; keep Retry-After for errors.translate.
        retry_after.note(response.status_code, response.headers)
        return response


_lock = threading.Lock()
_http_clients: dict[tuple[str | None, float], RedirectingHttpClient] = {}
_clients: OrderedDict[tuple[str, str, str | None], Client] = OrderedDict()


def _http_client(base_url: str | None, timeout: float) -> RedirectingHttpClient:
    # One shared HTTP client (one requests connection pool) per destination: every
    # account talks to the same hosts, so they can reuse the same connections.
    key = (base_url, timeout)
    client = _http_clients.get(key)
    if client is None:
        client = _http_clients[key] = RedirectingHttpClient(base_url=base_url, timeout=timeout)
    return client


def make_client(creds: AccountCredentials) -> Client:
    """An SDK client for `creds`, cached per account, token and destination (thread-safe)."""
    settings = get_settings()
    base_url = api_base_url()
    # The token is part of the key so a rotated token never reuses a stale client.
    key = (creds.sid, creds.auth_token, base_url)
    with _lock:
        client = _clients.get(key)
        if client is not None:
            _clients.move_to_end(key)
            return client
        client = Client(
            creds.sid,
            creds.auth_token,
            http_client=_http_client(base_url, settings.twilio_timeout_seconds),
            # Non-empty on purpose: with an empty mapping the SDK falls back to os.environ
            # and could pick up credentials or an edge/region meant for something else.
            environment={"CALLPLATFORM": "1"},
        )
        _clients[key] = client
        while len(_clients) > _MAX_CLIENTS:
            _clients.popitem(last=False)
        return client


def clear_client_cache() -> None:
    """Forget cached clients (tests and settings changes point them elsewhere)."""
    with _lock:
        _clients.clear()
        _http_clients.clear()
