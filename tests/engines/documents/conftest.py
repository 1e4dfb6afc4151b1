"""Fixtures for the documents engine: the sample documents of a fictional Yokohama manufacturer."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

SAMPLES = {
    "jigyokei": "jigyokei_minato.json",
    "security-policy": "security_policy_minato.json",
    "ai-guideline": "ai_guideline_minato.json",
    "incident-response": "incident_response_minato.json",
}


def load_sample(kind: str) -> dict:
    return json.loads((FIXTURES / SAMPLES[kind]).read_text(encoding="utf-8"))


@pytest.fixture
def sample():
    """sample(kind) -> a fresh deep copy of that kind's filled document."""
    return lambda kind: copy.deepcopy(load_sample(kind))
