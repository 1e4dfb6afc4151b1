"""The gateway's code path called in-process (complete_chat), and use-case / department tags in the usage log."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from sonae.aicheck.gateway import UsageTags, complete_chat, usage_tags
from sonae.aicheck.models import AiUsage
from sonae.aicheck.services import ai_policy_save, gateway_token_create, gateway_upstream_save

PHONE = "090-1234-5678"


@pytest.fixture
def upstream(org, alice, upstream_server):
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("ok"), api_key="sk-upstream-secret-9876", allowed_models="")
    upstream_server.received.clear()
    return upstream_server


def _messages(text: str) -> list:
    return [{"role": "system", "content": "社内ルールだけで答える"}, {"role": "user", "content": text}]


def test_in_process_call_masks_sends_restores_and_logs(upstream, org, bob):
    outcome = complete_chat(org_id=org.id, user_id=bob.id, model="fake-model", messages=_messages(f"電話 {PHONE} の件"),
                            tags=UsageTags("rules-qa", "all"))
    assert outcome.ok and outcome.answer_text() == f"ECHO: 電話 {PHONE} の件"
    sent = json.loads(upstream.received[-1]["body"])
    assert PHONE not in sent["messages"][1]["content"]
    assert upstream.received[-1]["auth"] == "Bearer sk-upstream-secret-9876"
    row = AiUsage.objects.get(org=org)
    assert (row.channel, row.outcome, row.user_id, row.use_case, row.department) == ("gateway", "masked", bob.id, "rules-qa", "all")
    assert row.found == {"phone": 1} and row.prompt_text == ""


def test_in_process_call_is_refused_by_the_policy_like_the_endpoint(upstream, org, alice, bob):
    ai_policy_save(org=org, by=alice, actions={"phone": "block"}, custom_terms="", log_page_checks=False, log_prompt_text=False)
    outcome = complete_chat(org_id=org.id, user_id=bob.id, model="fake-model", messages=_messages(f"電話 {PHONE}"))
    assert outcome.status == 400 and outcome.error_code == "blocked_by_policy"
    assert outcome.blocked_types == ["phone"] and not outcome.answer_text()
    assert upstream.received == []
    assert AiUsage.objects.get(org=org).outcome == "blocked"


def test_in_process_call_without_upstream_and_with_a_failing_one(org, alice, bob, upstream_server):
    assert complete_chat(org_id=org.id, user_id=bob.id, model="m", messages=_messages("x")).status == 503
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("error"), api_key="k", allowed_models="")
    failed = complete_chat(org_id=org.id, user_id=bob.id, model="m", messages=_messages("x"))
    assert failed.status == 429 and not failed.ok
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("ok"), api_key="k", allowed_models="gpt-x")
    assert complete_chat(org_id=org.id, user_id=bob.id, model="m", messages=_messages("x")).error_code == "model_not_allowed"


def test_headers_tag_the_usage_row_with_catalogue_ids_only(upstream, org, bob):
    _token, plain = gateway_token_create(org=org, user=bob, name="laptop")
    gw = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    body = json.dumps({"model": "fake-model", "messages": [{"role": "user", "content": "議事録をまとめて"}]}, ensure_ascii=False)
    tagged = gw.post("/v1/chat/completions", data=body, content_type="application/json",
                     HTTP_X_SONAE_USE_CASE="meeting-minutes", HTTP_X_SONAE_DEPARTMENT="sales")
    assert tagged.status_code == 200
    unknown = gw.post("/v1/chat/completions", data=body, content_type="application/json",
                      HTTP_X_SONAE_USE_CASE="<script>", HTTP_X_SONAE_DEPARTMENT="x" * 500)
    assert unknown.status_code == 200
    plain_call = gw.post("/v1/chat/completions", data=body, content_type="application/json")
    assert plain_call.status_code == 200
    rows = list(AiUsage.objects.filter(org=org).order_by("id").values_list("use_case", "department"))
    assert rows == [("meeting-minutes", "sales"), ("", ""), ("", "")]
    # The tags never reach the upstream.
    assert all("meeting-minutes" not in r["body"].decode() for r in upstream.received)


def test_usage_tags_keep_only_known_ids():
    assert usage_tags("rules-qa", "hr") == UsageTags("rules-qa", "hr")
    assert usage_tags(" rules-qa ", "nowhere") == UsageTags("rules-qa", "")
    assert usage_tags("x" * 1000, None) == UsageTags("", "")  # type: ignore[arg-type]
