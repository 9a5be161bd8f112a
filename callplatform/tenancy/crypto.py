"""Encryption of stored secrets (subaccount auth tokens), keyed from the app secret."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet

from callplatform.config import get_settings


def _fernet() -> Fernet:
    key = get_settings().derived_key("subaccount-tokens")
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
