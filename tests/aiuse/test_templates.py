"""Prompt templates: filled, checked with the organisation's policy, copied masked or sent through the gateway."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from sonae.aicheck.models import AiUsage
from sonae.aicheck.services import ai_policy_save, gateway_upstream_save
from sonae.aiuse.services import aiuse_settings_save

pytestmark = pytest.mark.django_db

NAME, PHONE = "山田太郎", "090-1234-5678"
INQUIRY = f"{NAME}様（電話 {PHONE}）から、先週届いた部品に傷があったと連絡がありました。"


def url(org, use_case="inquiry-reply", template="reply-draft"):
    return reverse("aiuse_template", args=[org.id, use_case, template])


def post(client, org, **fields):
    data = {"department": "customer-support", "p_inquiry": INQUIRY, "p_policy": "到着後14日以内の初期不良は無償で交換", "action": "check"}
    data.update(fields)
    return client.post(url(org), data)


def test_the_form_shows_every_placeholder_and_the_countermeasures(bob_client, org):
    html = bob_client.get(url(org)).content.decode()
    assert 'name="p_inquiry"' in html and 'name="p_policy"' in html and 'name="department"' in html
    assert "使う前に確認すること" in html and "返金・保証・納期の約束" in html
    assert "チェックしてAIに送る" not in html  # no gateway configured


def test_a_customers_name_and_phone_are_flagged_and_masked(bob_client, org, bob):
    response = post(bob_client, org)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<mark class="ai-hit ai-mask" title="氏名">山田太郎' in html and f'title="電話番号">{PHONE}' in html
    masked = html[html.index('id="ai-masked"'):]
    masked = masked[: masked.index("</textarea>")]
    assert PHONE not in masked and NAME not in masked and "&lt;電話番号_1&gt;" in masked and "&lt;氏名_1&gt;" in masked
    assert "伏せ字の文章をコピー" in html
    row = AiUsage.objects.get(org=org)
    assert (row.channel, row.outcome, row.user_id, row.use_case, row.department) == ("page", "checked", bob.id, "inquiry-reply", "customer-support")
    assert row.found == {"person_name": 1, "phone": 1} and row.prompt_text == ""


def test_a_clean_prompt_can_be_copied_as_it_is(bob_client, org):
    html = post(bob_client, org, p_inquiry="部品に傷があったので交換してほしいという連絡").content.decode()
    assert "個人情報や秘密情報は見つかりませんでした" in html
    assert 'id="uc-prompt"' in html and "指示文をコピー" in html and "部品に傷があったので交換してほしい" in html


def test_the_text_is_kept_only_when_the_organisation_opted_in(bob_client, alice, org):
    ai_policy_save(org=org, by=alice, actions={}, custom_terms="", log_page_checks=True, log_prompt_text=True)
    post(bob_client, org)
    stored = AiUsage.objects.get(org=org).prompt_text
    assert "<電話番号_1>" in stored and PHONE not in stored


def test_blocked_information_is_refused(bob_client, org):
    html = post(bob_client, org, p_inquiry="マイナンバーは 123456789018 です").content.decode()
    assert "この文章はそのまま生成AIに入力してはいけません" in html


def test_hostile_input_is_shown_as_text(bob_client, org):
    script = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    html = post(bob_client, org, p_inquiry=script).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


@pytest.mark.parametrize("fields,message", [
    ({"p_inquiry": ""}, "を入力してください"),
    ({"p_inquiry": "あ" * 8001}, "8,000文字以内"),
    ({"p_inquiry": "制御\x00文字"}, "読み取れない文字"),
    ({"p_policy": "\x1b[31m赤い文字"}, "読み取れない文字"),
    ({"department": "nowhere"}, "正しく選択してください"),
])
def test_bad_input_gets_a_message_and_nothing_is_recorded(bob_client, org, fields, message):
    response = post(bob_client, org, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AiUsage.objects.exists()


def test_the_department_is_remembered(bob_client, org):
    post(bob_client, org, department="sales")
    assert 'value="sales" selected' in bob_client.get(url(org)).content.decode()


def test_outsider_gets_404(charlie_client, org):
    assert charlie_client.get(url(org)).status_code == 404
    assert post(charlie_client, org).status_code == 404


@pytest.fixture
def gateway(org, alice, upstream_server):
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("ok"), api_key="sk-upstream-secret", allowed_models="fake-model")
    upstream_server.received.clear()
    return upstream_server


def test_send_through_the_gateway_masks_upstream_and_tags_the_usage(bob_client, org, bob, gateway):
    html = post(bob_client, org, action="send").content.decode()
    assert "AIの回答" in html
    sent = json.loads(gateway.received[-1]["body"])
    assert PHONE not in sent["messages"][0]["content"] and "<電話番号_1>" in sent["messages"][0]["content"]
    assert "ECHO: " in html and PHONE in html.split("AIの回答", 1)[1]  # the placeholders were put back for the member
    row = AiUsage.objects.get(org=org)  # one row: the gateway call (the page check is not counted twice)
    assert (row.channel, row.outcome, row.use_case, row.department, row.model) == ("gateway", "masked", "inquiry-reply", "customer-support", "fake-model")


def test_send_refused_by_the_policy_says_so(bob_client, alice, org, gateway):
    ai_policy_save(org=org, by=alice, actions={"phone": "block"}, custom_terms="", log_page_checks=False, log_prompt_text=False)
    html = post(bob_client, org, action="send").content.decode()
    assert "組織の入力ルールにより、AIには送りませんでした（電話番号）" in html
    assert gateway.received == []


def test_send_uses_the_owners_model_and_reports_a_failing_upstream(bob_client, alice, org, upstream_server):
    gateway_upstream_save(org=org, by=alice, base_url=upstream_server.url("error"), api_key="k", allowed_models="")
    assert "チェックしてAIに送る" not in bob_client.get(url(org)).content.decode()  # no model known yet
    aiuse_settings_save(org=org, by=alice, model="my-model", answer_with_model=True)
    html = post(bob_client, org, action="send").content.decode()
    assert "AIサービスから回答を得られませんでした" in html
    assert json.loads(upstream_server.received[-1]["body"])["model"] == "my-model"


def test_send_without_a_gateway_only_checks(bob_client, org):
    html = post(bob_client, org, action="send").content.decode()
    assert "uc-answer-title" not in html and "チェック結果" in html
    assert AiUsage.objects.get(org=org).channel == "page"
