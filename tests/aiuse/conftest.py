"""Fixtures of the aiuse tests: approved sample documents, and the project's fake AI upstream."""

import json
from pathlib import Path

import pytest

from support import load_fake_upstream

FIXTURES = Path(__file__).resolve().parents[1] / "engines" / "documents" / "fixtures"
fake_upstream = load_fake_upstream()


@pytest.fixture(scope="module")
def upstream_server():
    with fake_upstream.FakeUpstream(hang_seconds=5.0) as server:
        yield server


def sample(stem: str) -> dict:
    return json.loads((FIXTURES / f"{stem}_minato.json").read_text(encoding="utf-8"))


def _approve(org, owner, kind: str, stem: str, *, title: str = ""):
    from sonae.documents.services import document_create, version_approve

    document = document_create(org=org, kind=kind, by=owner, data=sample(stem), title=title)
    return version_approve(version=document.versions.get(), by=owner)


@pytest.fixture
def approve():
    """approve(org, owner, kind, stem) -> an approved version of `kind` with the sample content."""
    return _approve


@pytest.fixture
def guideline(org, alice):
    return _approve(org, alice, "ai-guideline", "ai_guideline")


@pytest.fixture
def all_rules(org, alice):
    return [_approve(org, alice, kind, stem) for kind, stem in (
        ("ai-guideline", "ai_guideline"), ("security-policy", "security_policy"),
        ("incident-response", "incident_response"), ("jigyokei", "jigyokei"))]
