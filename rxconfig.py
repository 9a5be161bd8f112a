"""Reflex configuration, built from CallPlatform's settings (see callplatform/config.py)."""

from urllib.parse import urlsplit

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from callplatform.config import get_settings

settings = get_settings()
# The origins browsers load the app from. Reflex's default ("*") answers any origin, and
# with its credentialed CORS a foreign page could read cookie-authenticated routes and open
# the websocket as the signed-in user; pages served here are same-origin and need none.
# Another address users type (not PUBLIC_BASE_URL): REFLEX_CORS_ALLOWED_ORIGINS.
BROWSER_ORIGINS = [
    "{0.scheme}://{0.netloc}".format(urlsplit(settings.base_url)),
    *(f"http://{host}:{settings.app_port}" for host in ("127.0.0.1", "localhost", "[::1]")),
]


def state_options(settings) -> dict:
    """Where the tabs' states live, and how long a closed tab's are kept."""
    if settings.redis_url:  # several processes: in Redis (for Reflex's hour, there)
        return {"state_manager_mode": "redis", "redis_url": settings.redis_url}
    # Otherwise in this process's memory, never pickled to disk. Reflex keeps a tab's
    # states this long after its last event (the setting is named for Redis, but the
    # in-memory manager reads it too); its default hour kept every closed tab's. Open tabs
    # send nothing while idle, so they are kept alive instead (state/open_tabs.py).
    return {
        "state_manager_mode": "memory",
        "redis_url": None,
        "redis_token_expiration": settings.closed_tab_state_seconds,
    }


config = rx.Config(
    app_name="callplatform",
    db_url=settings.database_url,
    # One port serves the built frontend, the websocket, the api and the sandbox.
    frontend_port=settings.app_port,
    backend_port=settings.app_port,
    cors_allowed_origins=list(dict.fromkeys(BROWSER_ORIGINS)),
    **state_options(settings),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[SitemapPlugin],
)
