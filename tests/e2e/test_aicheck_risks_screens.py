"""Browser walk of the AI input checker, policy, gateway, usage and the risk register (desktop + phone)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

PASSWORD = "correct-horse-battery-staple-42"  # the fixtures' password (tests/conftest.py)

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "顧客の山田太郎様（電話 090-1234-5678、メール yamada@example.co.jp）から、横浜市中区山下町1-2-3 への納品日の問い合わせ。マイナンバー 123456789018 は控えています。返信文を考えてください。"


def _seed(org, alice, bob):
    from sonae.aicheck.services import ai_policy_save, gateway_token_create, gateway_upstream_save, usage_record
    from sonae.risks.models import Risk

    ai_policy_save(org=org, by=alice, actions={}, custom_terms="プロジェクト青嵐", log_page_checks=False, log_prompt_text=False)
    gateway_upstream_save(org=org, by=alice, base_url="https://api.example.com/v1", api_key="sk-demo-key-7Q2Z", allowed_models="gpt-4o-mini")
    gateway_token_create(org=org, user=bob, name="ノートPCのチャットアプリ")
    for i in range(6):
        usage_record(org=org, user=bob, channel="gateway", outcome=["masked", "sent", "blocked"][i % 3], found={"phone": 1} if i % 3 == 0 else ({"my_number": 1} if i % 3 == 2 else {}),
                     model="gpt-4o-mini", prompt_tokens=120 + i, completion_tokens=300 + i)
    usage_record(org=org, user=alice, channel="gateway", outcome="warned", found={"corporate_number": 1}, model="gpt-4o-mini", prompt_tokens=80, completion_tokens=200)
    Risk.objects.create(org=org, title="基幹サーバーのランサムウェア感染", category="cyber", likelihood=3, impact=5, owner=alice,
                        review_date=timezone.localdate() - dt.timedelta(days=10))
    Risk.objects.create(org=org, title="地震で工場が止まる", category="disaster", likelihood=2, impact=5)


def test_screens(page, phone_page, live_server, login, screenshot, alice, bob, org):
    _seed(org, alice, bob)
    login(page, live_server, "alice@example.jp", PASSWORD)
    base = f"{live_server.url}/o/{org.id}"

    page.goto(f"{base}/ai/")
    page.fill("textarea[name=text]", NOTE)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".ai-highlight mark")
    assert page.locator("mark.ai-block").count() >= 1
    screenshot(page, "aicheck-checker-desktop")

    page.fill("textarea[name=text]", "電話 090-1234-5678 の田中さんに、明日の打合せ時間を伝えるメール文を考えて。")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#ai-masked")
    screenshot(page, "aicheck-checker-masked-desktop")

    page.goto(f"{base}/ai/policy/")
    screenshot(page, "aicheck-policy-desktop")
    page.goto(f"{base}/ai/gateway/")
    assert "sk-demo-key" not in page.content()
    screenshot(page, "aicheck-gateway-desktop")
    page.goto(f"{base}/ai/usage/")
    screenshot(page, "aicheck-usage-desktop")

    page.goto(f"{base}/risks/")
    page.locator("form:has(input[name=category][value=genai]) button").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".rk-item").count() >= 8
    screenshot(page, "risks-register-desktop")
    page.goto(f"{base}/")
    screenshot(page, "aicheck-risks-dashboard-desktop")
    assert page.console_errors == []

    login(phone_page, live_server, "bob@example.jp", PASSWORD)
    phone_page.goto(f"{base}/ai/")
    phone_page.fill("textarea[name=text]", NOTE)
    phone_page.click("main form button[type=submit]")
    phone_page.wait_for_selector(".ai-highlight mark")
    screenshot(phone_page, "aicheck-checker-phone")
    phone_page.goto(f"{base}/ai/policy/")
    screenshot(phone_page, "aicheck-policy-phone")
    phone_page.goto(f"{base}/risks/")
    screenshot(phone_page, "risks-register-phone")
