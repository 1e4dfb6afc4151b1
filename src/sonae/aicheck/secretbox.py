"""Encrypt the upstream API key at rest with a key derived from SECRET_KEY (Fernet, AES-128 + HMAC).

If SECRET_KEY changes, stored keys cannot be read any more: the owner enters the key again
(the settings page says so). The plain key is never shown, logged or sent anywhere but upstream.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    digest = hashlib.sha256(("sonae.aicheck.upstream-key:" + settings.SECRET_KEY).encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode("utf-8")).decode("ascii") if plain else ""


def decrypt(token: str) -> str | None:
    """The plain key, or None when it cannot be read (SECRET_KEY changed)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        return None
