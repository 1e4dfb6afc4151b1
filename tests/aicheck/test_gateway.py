"""The OpenAI-compatible gateway against a real fake upstream on 127.0.0.1 (no mocks of httpx)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from sonae.aicheck.masking import StreamRestorer
from sonae.aicheck.models import AiUsage, GatewayToken
from sonae.aicheck.services import ai_policy_save, gateway_token_create, gateway_token_revoke, gateway_upstream_save
from sonae.orgs.models import Membership

PHONE = "090-1234-5678"
MYNUMBER = "123456789018"  # valid check digit
CUSTOMER_NOTE = f"顧客の山田太郎様（電話 {PHONE}）から納期の問い合わせがありました。返信の文面を考えてください。"


@pytest.fixture
def gw(org, alice, bob, upstream_server, settings):
    settings.SONAE_GATEWAY_TIMEOUT = 0.5
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("ok"), api_key="sk-upstream-secret-9876", allowed_models="")
    _token, plain = gateway_token_create(org=org, user=bob, name="laptop")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    upstream_server.received.clear()
    return client


def _post(client, payload, **extra):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload, ensure_ascii=False)
    return client.post("/v1/chat/completions", data=body, content_type="application/json", **extra)


def _chat(text, **more):
    return {"model": "fake-model", "messages": [{"role": "system", "content": "あなたは事務のアシスタントです。"}, {"role": "user", "content": text}], **more}


def _stream_text(response) -> tuple[str, list[dict]]:
    raw = b"".join(response.streaming_content).decode("utf-8")
    chunks, text = [], []
    for event in raw.split("\n\n"):
        if not event.startswith("data: ") or event == "data: [DONE]":
            continue
        chunk = json.loads(event[6:])
        chunks.append(chunk)
        for choice in chunk.get("choices", []):
            text.append(choice.get("delta", {}).get("content") or "")
    assert raw.rstrip().endswith("data: [DONE]")
    return "".join(text), chunks


def test_mask_goes_upstream_and_comes_back(gw, upstream_server, org, bob):
    response = _post(gw, _chat(CUSTOMER_NOTE))
    assert response.status_code == 200, response.content
    answer = response.json()["choices"][0]["message"]["content"]
    assert answer == "ECHO: " + CUSTOMER_NOTE  # placeholders put back for the caller
    sent = json.loads(upstream_server.received[-1]["body"])
    upstream_text = sent["messages"][1]["content"]
    assert PHONE not in upstream_text and "<電話番号_1>" in upstream_text
    assert upstream_server.received[-1]["auth"] == "Bearer sk-upstream-secret-9876"
    assert "phone" in response["X-Sonae-Masked"]
    row = AiUsage.objects.get(org=org)
    assert row.user == bob and row.outcome == "masked" and row.model == "fake-model"
    assert row.prompt_tokens == 11 and row.completion_tokens == 7 and not row.tokens_estimated
    assert row.found.get("phone") == 1
    # Never the prompt text by default, nor any value found.
    assert row.prompt_text == ""
    assert PHONE not in json.dumps(list(AiUsage.objects.values()), default=str, ensure_ascii=False)


def test_prompt_text_logged_only_when_opted_in(gw, org, alice):
    ai_policy_save(org=org, by=alice, actions={}, custom_terms="", log_page_checks=False, log_prompt_text=True)
    assert _post(gw, _chat(CUSTOMER_NOTE)).status_code == 200
    row = AiUsage.objects.get(org=org)
    assert "<電話番号_1>" in row.prompt_text and PHONE not in row.prompt_text  # what left, masked


def test_block_is_a_400_naming_types_not_values(gw, upstream_server, org):
    response = _post(gw, _chat(f"マイナンバーは {MYNUMBER} です"))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "blocked_by_policy" and "マイナンバー" in error["message"] and "my_number" in error["message"]
    assert MYNUMBER not in response.content.decode()
    assert upstream_server.received == []  # nothing left the machine
    row = AiUsage.objects.get(org=org)
    assert row.outcome == "blocked" and row.found == {"my_number": 1} and row.prompt_text == ""


def test_custom_terms_and_warn_header(gw, org, alice, upstream_server):
    ai_policy_save(org=org, by=alice, actions={"phone": "warn", "custom_term": "block"}, custom_terms="プロジェクト青嵐",
                   log_page_checks=False, log_prompt_text=False)
    response = _post(gw, _chat(f"電話 {PHONE} に折り返し"))
    assert response.status_code == 200
    assert response["X-Sonae-Warnings"] == "phone"
    assert PHONE in json.loads(upstream_server.received[-1]["body"])["messages"][1]["content"]
    # Full-width / half-width variants of the term are found too.
    blocked = _post(gw, _chat("ﾌﾟﾛｼﾞｪｸﾄ青嵐の件です"))
    assert blocked.status_code == 400 and "禁止語" in blocked.json()["error"]["message"]


def test_streaming_restores_placeholders_split_across_chunks(gw, upstream_server, org):
    text = f"{CUSTOMER_NOTE} 予備の番号 03-1234-5678 と mail yamada@example.co.jp も。"
    response = _post(gw, _chat(text, stream=True))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/event-stream")
    restored, chunks = _stream_text(response)
    assert restored == "ECHO: " + text
    sent = json.loads(upstream_server.received[-1]["body"])["messages"][1]["content"]
    assert "<電話番号_1>" in sent and "<電話番号_2>" in sent and "<メールアドレス_1>" in sent
    assert not any("<電話" in (c["choices"][0]["delta"].get("content") or "") for c in chunks if c.get("choices"))
    row = AiUsage.objects.get(org=org)
    assert row.outcome == "masked" and row.tokens_estimated and row.completion_tokens > 0 and row.prompt_text == ""


def test_stream_restorer_every_split_point():
    mapping = {"<電話番号_1>": PHONE, "<氏名_12>": "山田太郎"}
    answer = "こんにちは<氏名_12>様、<電話番号_1>＜電話番号_１＞ a<b <x> 終わり<"
    expected = f"こんにちは山田太郎様、{PHONE}{PHONE} a<b <x> 終わり<"
    for i in range(len(answer)):
        for j in range(i, len(answer)):
            restorer = StreamRestorer(mapping)
            out = restorer.feed(answer[:i]) + restorer.feed(answer[i:j]) + restorer.feed(answer[j:]) + restorer.flush()
            assert out == expected, (i, j)


def test_no_mapping_stream_passes_through(gw, upstream_server):
    response = _post(gw, _chat("今日の天気を教えて", stream=True))
    restored, _chunks = _stream_text(response)
    assert restored == "ECHO: 今日の天気を教えて"


def test_tokens_are_estimated_when_the_upstream_gives_no_usage(gw, org, alice, upstream_server):
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("nousage"), api_key=None, allowed_models="")
    response = _post(gw, _chat(CUSTOMER_NOTE))
    assert response.status_code == 200 and response.json()["choices"][0]["message"]["content"] == "ECHO: " + CUSTOMER_NOTE
    row = AiUsage.objects.get(org=org)
    assert row.tokens_estimated and row.prompt_tokens > 0 and row.completion_tokens > 0 and row.prompt_text == ""


def test_upstream_that_hangs_is_a_504(gw, org, alice, upstream_server):
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("hang"), api_key=None, allowed_models="")
    response = _post(gw, _chat("こんにちは"))
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "upstream_timeout" and "秒以内に応答" in response.json()["error"]["message"]
    assert AiUsage.objects.get(org=org).outcome == "error"
    streamed = _post(gw, _chat("こんにちは", stream=True))
    assert streamed.status_code == 504


def test_upstream_garbage_is_a_502(gw, org, alice, upstream_server):
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("garbage"), api_key=None, allowed_models="")
    response = _post(gw, _chat("こんにちは"))
    assert response.status_code == 502 and response.json()["error"]["code"] == "upstream_invalid_response"
    streamed = _post(gw, _chat("こんにちは", stream=True))
    raw = b"".join(streamed.streaming_content).decode()
    assert "upstream_invalid_response" in raw
    assert gw.get("/v1/models").status_code == 502


def test_upstream_error_is_passed_on_without_the_key(gw, org, alice, upstream_server):
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("error"), api_key=None, allowed_models="")
    response = _post(gw, _chat("こんにちは"))
    assert response.status_code == 429 and "sk-upstream" not in response.content.decode()


def test_unreachable_upstream_is_a_502(gw, org, alice):
    gateway_upstream_save(org=org, by=alice, base_url="http://127.0.0.1:9/v1", api_key=None, allowed_models="")
    assert _post(gw, _chat("こんにちは")).status_code == 502


@pytest.mark.parametrize(
    "body,code",
    [
        (b"not json", "invalid_json"),
        (b"\xff\xfe\x00", "invalid_json"),
        (b"[1, 2]", "invalid_json"),
        (b"{}", "invalid_model"),
        (json.dumps({"model": "m"}).encode(), "invalid_messages"),
        (json.dumps({"model": "m", "messages": []}).encode(), "invalid_messages"),
        (json.dumps({"model": "m", "messages": "hi"}).encode(), "invalid_messages"),
        (json.dumps({"model": "m", "messages": [{"content": "hi"}]}).encode(), "invalid_messages"),
        (json.dumps({"model": "m", "messages": [{"role": "user", "content": 5}]}).encode(), "invalid_messages"),
        (json.dumps({"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": 5}]}]}).encode(), "invalid_messages"),
        (json.dumps({"model": 5, "messages": [{"role": "user", "content": "hi"}]}).encode(), "invalid_model"),
        (json.dumps({"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": "yes"}).encode(), "invalid_stream"),
    ],
)
def test_malformed_requests_are_openai_style_400s(gw, upstream_server, body, code):
    response = _post(gw, body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code and error["type"] == "invalid_request_error" and error["message"]
    assert upstream_server.received == []


def test_ten_megabyte_body_is_refused(gw, upstream_server):
    huge = json.dumps(_chat("あ" * 3_500_000)).encode("utf-8")  # ~10 MB
    assert len(huge) > 10_000_000
    response = _post(gw, huge)
    assert response.status_code == 400 and response.json()["error"]["code"] == "request_too_large"
    assert upstream_server.received == []


def test_authentication(gw, org, bob, upstream_server):
    anonymous = Client()
    assert anonymous.post("/v1/chat/completions", data=json.dumps(_chat("x")), content_type="application/json").status_code == 401
    for header in ("Bearer nope", "Basic abc", "Bearer sgw_" + "x" * 200, "Bearer sonae_abc"):
        response = Client(HTTP_AUTHORIZATION=header).get("/v1/models")
        assert response.status_code == 401 and response.json()["error"]["type"] == "authentication_error"
    token = GatewayToken.objects.get(user=bob)
    gateway_token_revoke(token=token, by=bob)
    assert gw.get("/v1/models").status_code == 401


def test_removed_member_token_stops(gw, org, bob):
    Membership.objects.filter(org=org, user=bob).delete()
    assert _post(gw, _chat("こんにちは")).status_code == 401


def test_models_and_allow_list(gw, org, alice, upstream_server):
    assert gw.get("/v1/models").json()["data"][0]["id"] == "fake-model"
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("ok"), api_key=None, allowed_models="gpt-safe\nfake-ok")
    assert [m["id"] for m in gw.get("/v1/models").json()["data"]] == ["gpt-safe", "fake-ok"]
    response = _post(gw, _chat("こんにちは"))
    assert response.status_code == 400 and response.json()["error"]["code"] == "model_not_allowed"
    assert gw.post("/v1/models").status_code == 405
    assert gw.get("/v1/chat/completions").status_code == 405


def test_not_configured_is_503(org, bob, monkeypatch):
    monkeypatch.delenv("SONAE_GATEWAY_UPSTREAM_URL", raising=False)
    _token, plain = gateway_token_create(org=org, user=bob, name="x")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {plain}").post("/v1/chat/completions", data=json.dumps(_chat("hi")), content_type="application/json")
    assert response.status_code == 503 and response.json()["error"]["code"] == "upstream_not_configured"


def test_installation_wide_upstream_from_env(org, bob, upstream_server, monkeypatch, tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("sk-from-file\n")
    monkeypatch.setenv("SONAE_GATEWAY_UPSTREAM_URL", upstream_server.url("ok"))
    monkeypatch.setenv("SONAE_GATEWAY_UPSTREAM_KEY_FILE", str(key_file))
    _token, plain = gateway_token_create(org=org, user=bob, name="x")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {plain}").post("/v1/chat/completions", data=json.dumps(_chat("hi")), content_type="application/json")
    assert response.status_code == 200
    assert upstream_server.received[-1]["auth"] == "Bearer sk-from-file"


def test_key_is_stored_encrypted(org, alice):
    upstream = gateway_upstream_save(org=org, by=alice, base_url="https://api.example.com/v1", api_key="sk-plain-abcd", allowed_models="")
    assert "sk-plain" not in upstream.api_key_encrypted and upstream.api_key_last4 == "abcd"
    from sonae.orgs.models import AuditEntry

    assert "sk-plain" not in json.dumps(list(AuditEntry.objects.values("changes")), ensure_ascii=False)


def test_gateway_is_csrf_exempt_with_enforcing_client(gw, org, bob):
    _token, plain = gateway_token_create(org=org, user=bob, name="csrf")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert _post(client, _chat("こんにちは")).status_code == 200


def test_gateway_config_cache_is_cleared_on_save(org, alice):
    from sonae.aicheck.selectors import gateway_cache_clear, gateway_config_of

    gateway_cache_clear()
    gateway_upstream_save(org=org, by=alice, base_url="https://one.example/v1", api_key="k1", allowed_models="")
    assert gateway_config_of(org, ttl=60)[1].base_url == "https://one.example/v1"
    gateway_upstream_save(org=org, by=alice, base_url="https://two.example/v1", api_key=None, allowed_models="")
    assert gateway_config_of(org, ttl=60)[1].base_url == "https://two.example/v1"
    ai_policy_save(org=org, by=alice, actions={"phone": "warn"}, custom_terms="", log_page_checks=False, log_prompt_text=False)
    assert gateway_config_of(org, ttl=60)[0].policy.action_for("phone") == "warn"
    gateway_cache_clear()
