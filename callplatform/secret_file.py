"""The app secret kept in a local file when SECRET_KEY is not set (development only).

A first run generates a random secret and stores it (mode 0600, outside git), so login
sessions and encrypted Twilio tokens survive a restart without anyone configuring
anything, and no two installations share a secret.

Several processes (the server's workers) may start at the same moment: the secret is
written to a private temporary file and then hard-linked into place, which either
succeeds whole or fails because another process won; the loser reads the winner's
secret. No reader ever sees a half-written file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# Shorter than this is not something we generated: refuse rather than use a weak key.
MIN_LENGTH = 32


def load_or_create(path: Path) -> str:
    """The secret stored at `path`, created there (random, mode 0600) when missing."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    return _create(path, secrets.token_urlsafe(48))


def _read(path: Path) -> str:
    secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < MIN_LENGTH:
        # Regenerating would silently end every session and make stored tokens
        # unreadable; a person should look at it.
        raise RuntimeError(
            f"{path} holds no usable secret (under {MIN_LENGTH} characters). "
            "Delete it to have a new one generated, or set SECRET_KEY."
        )
    return secret


def _create(path: Path, secret: str) -> str:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secret + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # atomic; fails if another process got there first
        except FileExistsError:
            return _read(path)
        return secret
    finally:
        temporary.unlink(missing_ok=True)
