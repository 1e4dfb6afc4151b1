"""REST API of the rules Q&A and the use-case catalogue."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client(org, bob):
    from support import api_client_for

    return api_client_for(org, bob)


def post(client, body):
    return client.post("/api/rules/ask", data=body if isinstance(body, str) else json.dumps(body, ensure_ascii=False),
                       content_type="application/json")


def test_ask_answers_with_citations(api_client, guideline):
    data = post(api_client, {"question": "生成AIに入力してはいけない情報は？"}).json()
    assert data["found"] is True and data["answered_by_model"] is False
    first = data["citations"][0]
    assert (first["document"], first["version"]) == ("生成AI利用ガイドライン", "第1版")
    assert first["section"].startswith("5 データ入力に際して注意すべき事項") and data["answer"] == first["quote"]


def test_not_found_names_whom_to_ask(api_client, guideline):
    data = post(api_client, {"question": "社宅に入れますか"}).json()
    assert data["found"] is False and data["citations"] == [] and "総務部 内線201" in data["contacts"]


@pytest.mark.parametrize("body", ["not json", {"question": 5}, {}, {"question": None}, {"question": "  "},
                                  {"question": "あ" * 5000}, {"question": "a\x00b"}])
def test_bad_questions(api_client, guideline, body):
    assert post(api_client, body).status_code in (400, 422)


def test_use_cases_and_auth(api_client):
    listed = api_client.get("/api/rules/use-cases").json()
    assert len(listed) == 44 and listed[8]["id"] == "rules-qa"
    assert Client().get("/api/rules/use-cases").status_code == 401
    assert post(Client(), {"question": "x"}).status_code == 401
    assert "/api/rules/ask" in Client().get("/api/openapi.json").json()["paths"]
