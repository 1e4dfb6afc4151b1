"""Small helpers for the mails sonae sends (reminders, notices): safe one-line text and absolute links.

Mail goes through Django's configured backend: printed to the console unless an administrator set
SONAE_EMAIL_HOST, so nothing leaves the machine by default.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.urls import reverse

# Control, format, private-use and separator characters: a line break in a Subject header is refused
# by Django (BadHeaderError) and a bidi override could make a title read differently in a mail client.
_NOT_ONE_LINE = ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")


def one_line(text: object, limit: int = 80) -> str:
    """`text` as a single line of printable characters, whitespace collapsed, at most `limit` characters."""
    cleaned = "".join(" " if unicodedata.category(ch) in _NOT_ONE_LINE else ch for ch in str(text or ""))
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def absolute_url(name: str, *args) -> str:
    """The public address of a page, for links in mails (SONAE_SITE_URL + the path)."""
    return settings.SITE_URL + reverse(name, args=args)


def mail_is_configured() -> bool:
    """False while mail is only printed to the server console (no SONAE_EMAIL_HOST)."""
    return not settings.EMAIL_BACKEND.endswith("console.EmailBackend")
