"""Checker page, policy page, gateway page, usage page and CSV, the /api/ai/scan endpoint."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from sonae.aicheck.models import AiPolicy, AiUsage, GatewayToken, GatewayUpstream
from sonae.aicheck.services import ai_policy_save, gateway_token_create, usage_record

PHONE = "090-1234-5678"
NOTE = f"顧客の山田太郎様（電話 {PHONE}、マイナンバー 123456789018）の件"


def url(name, org, *args):
    return reverse(name, args=[org.id, *args])


# --- the checker --------------------------------------------------------------------------------


def test_checker_highlights_and_masks_nothing_stored(bob_client, org):
    response = bob_client.post(url("aicheck_home", org), {"text": NOTE})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<mark class="ai-hit ai-mask" title="電話番号">{PHONE}' in html
    assert "ai-hit ai-block" in html and "入力してはいけません" in html
    assert AiUsage.objects.count() == 0  # the organisation did not turn logging on


def test_checker_masked_copy_when_not_blocked(bob_client, org):
    response = bob_client.post(url("aicheck_home", org), {"text": f"電話 {PHONE} に折り返し"})
    html = response.content.decode()
    assert 'id="ai-masked"' in html and "&lt;電話番号_1&gt;" in html and 'data-copy-target="ai-masked"' in html


def test_checker_escapes_hostile_text(bob_client, org):
    hostile = f'<script>alert(1)</script><img src=x onerror=alert(2)> {PHONE}'
    html = bob_client.post(url("aicheck_home", org), {"text": hostile}).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html and "<img src=x" not in html


@pytest.mark.parametrize("text,message", [("", "入力してください"), ("   \n ", "入力してください"), ("あ" * 200_001, "長すぎます")])
def test_checker_refuses_bad_input(bob_client, org, text, message):
    response = bob_client.post(url("aicheck_home", org), {"text": text})
    assert response.status_code == 200 and message in response.content.decode()


def test_checker_logs_usage_only_when_opted_in(bob_client, org, alice, bob):
    ai_policy_save(org=org, by=alice, actions={}, custom_terms="", log_page_checks=True, log_prompt_text=False)
    bob_client.post(url("aicheck_home", org), {"text": NOTE})
    row = AiUsage.objects.get()
    assert row.user == bob and row.channel == "page" and row.found["phone"] == 1 and row.prompt_text == ""
    ai_policy_save(org=org, by=alice, actions={}, custom_terms="", log_page_checks=True, log_prompt_text=True)
    bob_client.post(url("aicheck_home", org), {"text": f"電話 {PHONE}"})
    latest = AiUsage.objects.order_by("-id").first()
    assert "<電話番号_1>" in latest.prompt_text and PHONE not in latest.prompt_text


def test_checker_outsider_gets_404(charlie_client, org):
    assert charlie_client.post(url("aicheck_home", org), {"text": NOTE}).status_code == 404


# --- the policy ------------------------------------------------------------------------------------


def _policy_post(**overrides):
    from sonae.engines.textscan import DEFAULT_ACTIONS

    data = {f"action_{t}": a for t, a in DEFAULT_ACTIONS.items()}
    data.update(custom_terms="プロジェクト青嵐\n株式会社みなと商会\n", log_page_checks="on")
    data.update(overrides)
    return data


def test_owner_edits_policy_and_it_applies(alice_client, bob_client, org):
    response = alice_client.post(url("aicheck_policy", org), _policy_post(action_phone="warn"))
    assert response.status_code == 302
    policy = AiPolicy.objects.get(org=org)
    assert policy.actions["phone"] == "warn" and policy.term_list() == ["プロジェクト青嵐", "株式会社みなと商会"] and policy.log_page_checks
    html = bob_client.post(url("aicheck_home", org), {"text": "ﾌﾟﾛｼﾞｪｸﾄ青嵐 の見積"}).content.decode()
    assert "ai-hit ai-block" in html and "禁止語" in html


def test_viewer_reads_policy_but_not_terms_and_cannot_write(bob_client, alice_client, org):
    alice_client.post(url("aicheck_policy", org), _policy_post())
    response = bob_client.get(url("aicheck_policy", org))
    assert response.status_code == 200 and "みなと商会" not in response.content.decode()
    assert bob_client.post(url("aicheck_policy", org), _policy_post(action_phone="warn")).status_code == 403
    assert AiPolicy.objects.get(org=org).actions["phone"] == "mask"


@pytest.mark.parametrize("bad", [{"action_phone": "explode"}, {"custom_terms": "あ" * 201}, {"custom_terms": "bad\x00term"}])
def test_policy_refuses_bad_input(alice_client, org, bad):
    response = alice_client.post(url("aicheck_policy", org), _policy_post(**bad))
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert not AiPolicy.objects.filter(org=org).exists()


def test_guideline_terms_are_merged(org, monkeypatch):
    import sonae.documents.selectors as doc_selectors
    from sonae.aicheck.selectors import effective_policy_of

    # The documents area's real selector is exercised by its own tests; here only the merge.
    monkeypatch.setattr(doc_selectors, "forbidden_terms_for_org", lambda org: ["極秘案件X"])
    assert "極秘案件X" in effective_policy_of(org).policy.custom_terms


# --- gateway page ------------------------------------------------------------------------------------


def test_member_creates_and_revokes_own_token(bob_client, org, bob):
    response = bob_client.post(url("aicheck_gateway", org), {"name": "ノートPC"})
    assert response.status_code == 200 and "sgw_" in response.content.decode()
    token = GatewayToken.objects.get(user=bob)
    assert token.token_hash not in response.content.decode()
    assert bob_client.post(url("aicheck_gateway_token_revoke", org, token.id)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_member_cannot_revoke_someone_elses_token(bob_client, org, alice):
    token, _plain = gateway_token_create(org=org, user=alice, name="alice")
    assert bob_client.post(url("aicheck_gateway_token_revoke", org, token.id)).status_code == 404


def test_outsider_cannot_revoke(charlie_client, org, bob):
    token, _plain = gateway_token_create(org=org, user=bob, name="b")
    assert charlie_client.post(url("aicheck_gateway_token_revoke", org, token.id)).status_code == 404


def test_hostile_token_name_refused(bob_client, org):
    response = bob_client.post(url("aicheck_gateway", org), {"name": "a\x07b"})
    assert "制御文字" in response.content.decode() and not GatewayToken.objects.exists()


def test_owner_sets_upstream_key_never_shown(alice_client, bob_client, org):
    response = alice_client.post(url("aicheck_gateway_upstream", org), {"base_url": "https://api.example.com/v1", "api_key": "sk-secret-value-WXYZ", "allowed_models": "gpt-4o-mini"})
    assert response.status_code == 302
    page = alice_client.get(url("aicheck_gateway", org)).content.decode()
    assert "sk-secret-value" not in page and "WXYZ" in page
    assert GatewayUpstream.objects.get(org=org).api_key_last4 == "WXYZ"
    # Saving again without a key keeps it.
    alice_client.post(url("aicheck_gateway_upstream", org), {"base_url": "https://api.example.com/v1", "api_key": "", "allowed_models": ""})
    assert GatewayUpstream.objects.get(org=org).api_key_last4 == "WXYZ"
    assert bob_client.post(url("aicheck_gateway_upstream", org), {"base_url": "https://evil.example/v1"}).status_code == 403
    assert "sk-secret" not in bob_client.get(url("aicheck_gateway", org)).content.decode()


@pytest.mark.parametrize("bad", [{"base_url": "javascript:alert(1)"}, {"base_url": "https://x.example", "api_key": "sk bad key"}, {"base_url": "https://x.example", "api_key": "鍵"}])
def test_upstream_refuses_bad_input(alice_client, org, bad):
    response = alice_client.post(url("aicheck_gateway_upstream", org), bad)
    assert response.status_code == 400 and not GatewayUpstream.objects.filter(org=org).exists()


# --- usage (活用状況) -------------------------------------------------------------------------------------


def test_usage_page_and_csv(alice_client, bob_client, org, bob):
    usage_record(org=org, user=bob, channel="gateway", outcome="masked", found={"phone": 2}, model="=cmd|' /C calc'!A0", prompt_tokens=10, completion_tokens=5)
    usage_record(org=org, user=bob, channel="gateway", outcome="blocked", found={"my_number": 1}, model="gpt")
    page = alice_client.get(url("aicheck_usage", org)).content.decode()
    assert "bob@example.jp" in page and "電話番号 2" in page
    response = alice_client.get(url("aicheck_usage_csv", org))
    text = b"".join([response.content]).decode("utf-8")
    assert text.startswith("\ufeff") and "bob@example.jp" in text and "'=cmd" in text
    assert bob_client.get(url("aicheck_usage", org)).status_code == 403
    assert bob_client.get(url("aicheck_usage_csv", org)).status_code == 403


@pytest.mark.parametrize("month", ["2026-13", "abc", "9999-01", "-1", "2026-05-01"])
def test_usage_hostile_month_falls_back(alice_client, org, month):
    assert alice_client.get(url("aicheck_usage", org), {"month": month}).status_code == 200
    assert alice_client.get(url("aicheck_usage_csv", org), {"month": month}).status_code == 200


def test_dashboard_panels(alice_client, org):
    html = alice_client.get(reverse("dashboard", args=[org.id])).content.decode()
    assert reverse("aicheck_home", args=[org.id]) in html and reverse("risks_home", args=[org.id]) in html


# --- API ----------------------------------------------------------------------------------------------------


@pytest.fixture
def api_client(org, bob):
    from support import api_client_for

    return api_client_for(org, bob)


def test_api_scan(api_client, org):
    response = api_client.post("/api/ai/scan", data=json.dumps({"text": NOTE}), content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["blocked"] is True and data["counts"]["phone"] == 1
    phone = next(f for f in data["findings"] if f["type"] == "phone")
    assert NOTE[phone["start"] : phone["end"]] == PHONE and phone["action"] == "mask"
    assert "<電話番号_1>" in data["masked"] and data["mapping"]["<電話番号_1>"] == PHONE
    assert AiUsage.objects.count() == 0


@pytest.mark.parametrize("body", ["not json", json.dumps({"text": 5}), json.dumps({}), json.dumps({"text": None})])
def test_api_scan_bad_input(api_client, body):
    response = api_client.post("/api/ai/scan", data=body, content_type="application/json")
    assert response.status_code in (400, 422)


def test_api_scan_needs_token():
    assert Client().post("/api/ai/scan", data=json.dumps({"text": "x"}), content_type="application/json").status_code == 401


def test_api_schema_documents_scan(api_client):
    schema = Client().get("/api/openapi.json").json()
    assert "/api/ai/scan" in schema["paths"]
    assert "ScanOut" in json.dumps(schema)


def test_blocked_text_still_offers_the_masked_version(bob_client, org):
    """Journey 5: a note with a My Number is refused as it is, and the masked copy is offered instead."""
    response = bob_client.post(url("aicheck_home", org), {"text": NOTE})
    html = response.content.decode()
    assert "そのまま生成AIに入力してはいけません" in html
    masked = html.split('id="ai-masked"', 1)[1].split("</textarea>", 1)[0]
    assert "&lt;マイナンバー_1&gt;" in masked and "&lt;電話番号_1&gt;" in masked
    assert PHONE not in masked
