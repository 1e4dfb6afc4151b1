"""Fixtures for the documents app: complete sample documents of each kind (the engine's fixtures), an editor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sonae.orgs.choices import Role
from sonae.orgs.models import Membership

FIXTURES = Path(__file__).resolve().parents[1] / "engines" / "documents" / "fixtures"
FILES = {
    "jigyokei": "jigyokei_minato.json",
    "security-policy": "security_policy_minato.json",
    "ai-guideline": "ai_guideline_minato.json",
    "incident-response": "incident_response_minato.json",
}


def load_sample(kind: str) -> dict:
    return json.loads((FIXTURES / FILES[kind]).read_text(encoding="utf-8"))


@pytest.fixture
def sample():
    return load_sample


@pytest.fixture
def editor(org):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="erin", email="erin@example.jp", password="x-Very-long-pass-1")
    Membership.objects.create(user=user, org=org, role=Role.EDITOR)
    return user
