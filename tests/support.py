"""Helpers shared by test modules (import as `from support import ...`; `conftest` is not importable by name)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

PASSWORD = "correct-horse-battery-staple-42"


def make_user(email: str):
    return get_user_model().objects.create_user(username=email.split("@")[0], email=email, password=PASSWORD)
