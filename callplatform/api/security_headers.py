"""The headers every response carries (added by `guards.Guards`).

The Content-Security-Policy allows what the Reflex frontend needs and nothing else:
- scripts from our origin, plus the inline scripts of the built pages by their SHA-256
  (React Router's boot and hydration data, the theme switch), read from the production
  build (again when it is rebuilt); 'unsafe-eval' because Reflex runs `rx.call_script`
  with eval (the dialer drives the Voice SDK that way, login and logout navigate so);
- inline styles (Emotion writes style tags at run time);
- the websocket and fetches to our origin; Twilio's hosts for the Voice SDK (signalling,
  its sounds, insights), used only when real Twilio credentials are set;
- recordings from our origin, and blob: media;
- no framing by anyone (frame-ancestors), no plugins, no <base> or form posts elsewhere.
The /api/docs page (api/docs.py) serves Swagger UI from our origin with no inline script;
its policy allows our origin only, plus inline styles (Swagger UI sets style attributes).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import time
from pathlib import Path

log = logging.getLogger(__name__)

DOCS_PATHS = ("/api/docs",)
TWILIO = "https://*.twilio.com wss://*.twilio.com"
COMMON = (
    "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS_POLICY = (
    f"{COMMON}; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'"
)
HSTS = (b"strict-transport-security", b"max-age=31536000")
ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),  # frame-ancestors for browsers without CSP level 2
)
INLINE_SCRIPT = re.compile(rb"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)

RECHECK_SECONDS = 1.0

_cached: tuple[tuple[int, int] | None, str] | None = None  # (the build's identity, policy)
_checked_at = float("-inf")


def inline_script_hashes(build_dir: Path) -> list[str]:
    """CSP sources for every inline script in the built pages, sorted and unique."""
    found = set()
    for page in build_dir.rglob("*.html"):
        for match in INLINE_SCRIPT.finditer(page.read_bytes()):
            if b"src=" in match["attrs"]:
                continue
            digest = hashlib.sha256(match["body"]).digest()
            found.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(found)


def _build_dir() -> Path:
    from reflex import constants
    from reflex.utils import prerequisites

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


def app_policy(hashes: list[str]) -> str:
    scripts = " ".join(["'self'", "'unsafe-eval'", *hashes])
    return (
        f"{COMMON}; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self' data:; "
        f"connect-src 'self' {TWILIO}; media-src 'self' blob: https://sdk.twilio.com; "
        "worker-src 'self' blob:"
    )


def _build_identity(build: Path) -> tuple[int, int] | None:
    """Changes when the build is redone (Reflex deletes and rewrites its output)."""
    try:
        stat = build.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def _current_app_policy() -> str:
    """The app's policy with the hashes of the build being served. The production server
    builds before it serves, but the build is looked at again (at most once a second):
    a list from an earlier build would block every script of a newer one."""
    global _cached, _checked_at
    now = time.monotonic()
    if _cached is not None and now - _checked_at < RECHECK_SECONDS:
        return _cached[1]
    _checked_at = now
    build = _build_dir()
    identity = _build_identity(build)
    if _cached is not None and identity is not None and _cached[0] == identity:
        return _cached[1]
    hashes = inline_script_hashes(build) if identity is not None else []
    # Without a build no page is served here; look again on the next check.
    _cached = (identity if hashes else None, app_policy(hashes))
    if hashes:
        log.info("Content-Security-Policy allows the build's %d inline scripts", len(hashes))
    return _cached[1]


_headers: dict[tuple[str, bool], list[tuple[bytes, bytes]]] = {}


def headers_for(path: str, https: bool) -> list[tuple[bytes, bytes]]:
    """The headers to add to a response for `path` (shared lists: do not modify)."""
    policy = DOCS_POLICY if path in DOCS_PATHS else _current_app_policy()
    key = (policy, https)
    headers = _headers.get(key)
    if headers is None:
        if len(_headers) > 16:  # policies of earlier builds
            _headers.clear()
        headers = [(b"content-security-policy", policy.encode()), *ALWAYS]
        if https:
            headers.append(HSTS)
        _headers[key] = headers
    return headers
