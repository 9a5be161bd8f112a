"""Reflex configuration, built from CallPlatform's settings (see callplatform/config.py)."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from callplatform.config import get_settings

settings = get_settings()

config = rx.Config(
    app_name="callplatform",
    db_url=settings.database_url,
    # One port serves the built frontend, the websocket, the api and the sandbox.
    frontend_port=settings.app_port,
    backend_port=settings.app_port,
    # Redis when configured (several processes); otherwise in-process memory, so the
    # session state is never pickled to disk.
    state_manager_mode="redis" if settings.redis_url else "memory",
    redis_url=settings.redis_url or None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[SitemapPlugin],
)
