"""Journey 4 in a real browser: an employee checks a suspicious SMS, sees 危険 with the reasons underlined,
reports it; the owner reads it in the incident inbox and closes it. Screenshots of every checker screen."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checks"))
from messages import MAIL_CARD_PHISH, SMS_CAUTION, SMS_DANGER, SMS_NONE  # noqa: E402

PASSWORD = "correct-horse-battery-staple-42"  # the fixtures' password (tests/conftest.py)

pytestmark = pytest.mark.django_db(transaction=True)


def _check_sms(page, base, text):
    page.goto(f"{base}/checks/message/?tab=sms")
    page.fill("textarea[name=text]", text)
    page.click("main form button:has-text('確認する')")
    page.wait_for_selector(".verdict-label")


def test_employee_reports_sms_owner_closes(page, phone_page, live_server, login, screenshot, alice, bob, org, tmp_path):
    from sonae.checks.models import IncidentReport, TrustedDomain

    TrustedDomain.objects.create(org=org, domain="yokohama-seiko.co.jp", kind="own", note="自社", created_by=alice)
    TrustedDomain.objects.create(org=org, domain="kawasaki-shoji.co.jp", kind="partner", note="主要取引先", created_by=alice)
    base = f"{live_server.url}/o/{org.id}"

    # The employee (a viewer) pastes the SMS and sees 危険 with the reasons underlined.
    login(page, live_server, "bob@example.jp", PASSWORD)
    page.goto(f"{base}/checks/")
    page.click("text=メッセージを確認する")
    page.fill("textarea[name=text]", SMS_DANGER)
    page.click("main form button:has-text('確認する')")
    assert page.inner_text(".verdict-label") == "危険"
    assert page.locator("#checks-text mark.ev-high").count() >= 2
    assert "ヤマト運輸" in page.inner_text("#checks-text mark.ev-high >> nth=0")
    assert page.locator("#checks-text a").count() == 0  # the link is text, not clickable
    assert page.locator(".checks-findings li").count() >= 3
    screenshot(page, "checks-danger-desktop")
    page.fill("textarea[name=note]", "リンクは開いていません。")
    page.click("button:has-text('周りに相談・報告する')")
    page.wait_for_selector(".msg-success")
    assert "管理者に報告しました" in page.inner_text(".msg-success")
    assert IncidentReport.objects.count() == 1

    _check_sms(page, base, SMS_CAUTION)
    assert page.inner_text(".verdict-label") == "注意"
    screenshot(page, "checks-caution-desktop")
    _check_sms(page, base, SMS_NONE)
    assert page.inner_text(".verdict-label") == "問題は見つかりませんでした"
    screenshot(page, "checks-none-desktop")

    eml = tmp_path / "card.eml"
    eml.write_bytes(MAIL_CARD_PHISH)
    page.goto(f"{base}/checks/message/?tab=mail")
    page.set_input_files("input[type=file]", str(eml))
    page.click("main form button:has-text('確認する')")
    page.wait_for_selector(".verdict-label")
    assert page.inner_text(".verdict-label") == "危険"
    screenshot(page, "checks-mail-desktop")
    assert not page.console_errors

    # The same screens on a phone.
    login(phone_page, live_server, "bob@example.jp", PASSWORD)
    _check_sms(phone_page, base, SMS_DANGER)
    screenshot(phone_page, "checks-danger-phone")
    _check_sms(phone_page, base, SMS_CAUTION)
    screenshot(phone_page, "checks-caution-phone")
    _check_sms(phone_page, base, SMS_NONE)
    screenshot(phone_page, "checks-none-phone")
    phone_page.goto(f"{base}/checks/message/?tab=mail")
    phone_page.set_input_files("input[type=file]", str(eml))
    phone_page.click("main form button:has-text('確認する')")
    phone_page.wait_for_selector(".verdict-label")
    screenshot(phone_page, "checks-mail-phone")

    # The owner sees the report on the dashboard and in the inbox, reads it and closes it.
    page.context.clear_cookies()
    login(page, live_server, "alice@example.jp", PASSWORD)
    page.goto(f"{base}/")
    assert "未対応の報告 1件" in page.inner_text("main")
    page.click("text=報告の受付箱へ")
    screenshot(page, "checks-inbox-desktop")
    page.click("table.checks-inbox a")
    page.wait_for_selector(".verdict-label")
    assert page.inner_text(".verdict-label") == "危険" and "リンクは開いていません。" in page.inner_text("main")
    screenshot(page, "checks-incident-desktop")
    page.fill("textarea[name=reply]", "報告ありがとうございます。偽物でした。SMSは削除してください。")
    page.fill("textarea[name=owner_note]", "本人に確認。リンクは開いておらず入力もなし。SMSを削除するよう伝えた。")
    page.click("button:has-text('対応済みにする')")
    page.wait_for_selector(".msg-success")
    assert "未対応の報告はありません" in page.inner_text("main")
    assert IncidentReport.objects.get().status == "closed"

    # The employee sees what became of the report (自分の報告), with the reply but not the owners' note.
    bob_page = page.context.browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900}).new_page()
    login(bob_page, live_server, "bob@example.jp", PASSWORD)
    bob_page.goto(f"{base}/checks/")
    screenshot(bob_page, "checks-home-viewer")
    bob_page.click("text=自分の報告を見る")
    mine = bob_page.inner_text("main")
    assert "対応済み" in mine and "偽物でした" in mine and "本人に確認" not in mine
    screenshot(bob_page, "checks-my-reports-desktop")
    bob_page.click("table.checks-mine a")
    bob_page.wait_for_selector(".verdict-label")
    assert "alice@example.jp" in bob_page.inner_text("main")
    screenshot(bob_page, "checks-my-report-desktop")
    bob_page.context.close()

    page.goto(f"{base}/checks/domains/")
    screenshot(page, "checks-domains-desktop")
    phone_page.context.clear_cookies()
    login(phone_page, live_server, "alice@example.jp", PASSWORD)
    phone_page.goto(f"{base}/checks/inbox/?status=all")
    screenshot(phone_page, "checks-inbox-phone")
    phone_page.click("table.checks-inbox a")
    screenshot(phone_page, "checks-incident-phone")
    phone_page.context.clear_cookies()
    login(phone_page, live_server, "bob@example.jp", PASSWORD)
    phone_page.goto(f"{base}/checks/mine/")
    screenshot(phone_page, "checks-my-reports-phone")
    assert not page.console_errors
