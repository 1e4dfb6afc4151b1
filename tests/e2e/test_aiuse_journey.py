"""Browser walk of 生成AIの活用: a member picks a use case, fills its template with a customer's name and phone,
sees them flagged and copies the masked prompt; asks the rules Q&A and gets the guideline's section with its
citation; hostile input stays text; an encrypted PDF is refused. Desktop and phone, with screenshots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import encrypted_pdf

PASSWORD = "correct-horse-battery-staple-42"  # the fixtures' password (tests/conftest.py)
FIXTURES = Path(__file__).resolve().parents[1] / "engines" / "documents" / "fixtures"

pytestmark = pytest.mark.django_db(transaction=True)

CUSTOMER, PHONE = "山田太郎", "090-1234-5678"


def _seed(org, alice):
    from sonae.aiuse.services import use_case_adopt
    from sonae.catalog.use_cases import load_use_cases
    from sonae.documents.services import document_create, version_approve

    for kind, stem in (("ai-guideline", "ai_guideline"), ("incident-response", "incident_response"),
                       ("security-policy", "security_policy")):
        data = json.loads((FIXTURES / f"{stem}_minato.json").read_text(encoding="utf-8"))
        document = document_create(org=org, kind=kind, by=alice, data=data)
        version_approve(version=document.versions.get(), by=alice)
    draft, _added = use_case_adopt(org=org, use_case=load_use_cases().get("meeting-minutes"), by=alice)
    version_approve(version=draft, by=alice)  # one use case allowed by the approved guideline
    use_case_adopt(org=org, use_case=load_use_cases().get("translation"), by=alice)  # one waiting in the draft


def _encrypted_pdf(tmp_path) -> Path:
    path = tmp_path / "保護された規程.pdf"
    path.write_bytes(encrypted_pdf())
    return path


def test_member_uses_a_template_and_asks_the_rules(browser, page, phone_page, live_server, login, screenshot, alice, bob, org, tmp_path):
    _seed(org, alice)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(page, live_server, "bob@example.jp", PASSWORD)  # Bob is a viewer: a member, not an editor
    base = f"{live_server.url}/o/{org.id}"

    # The catalogue, from the main navigation.
    page.goto(f"{base}/")
    page.click("nav.mainnav >> text=AI活用")
    page.wait_for_selector(".uc-card")
    assert page.locator(".uc-card").count() == 44
    assert page.locator(".badge-ok", has_text="ガイドラインで許可").count() == 1
    screenshot(page, "aiuse-catalogue-desktop")

    page.select_option("#uc-department", "customer-support")
    page.click("form.uc-filter button")
    page.wait_for_load_state("networkidle")
    assert page.locator(".uc-card").count() == 4
    page.click("text=問い合わせメールへの返信文")
    page.wait_for_selector("#uc-risks")
    screenshot(page, "aiuse-use-case-desktop")

    # The template: a customer's name and phone typed in, flagged, and the masked prompt copied.
    page.click("text=問い合わせへの返信の下書き")
    page.fill("textarea[name=p_inquiry]", f"{CUSTOMER}様（電話 {PHONE}）から、先週届いた部品の一部に傷があったので交換してほしいと連絡がありました。")
    page.fill("textarea[name=p_policy]", "到着後14日以内の初期不良は無償で交換する。")
    page.click("button[value=check]")
    page.wait_for_selector(".ai-highlight mark")
    assert page.locator("mark.ai-mask", has_text=CUSTOMER).count() == 1
    assert page.locator("mark.ai-mask", has_text=PHONE).count() == 1
    masked = page.input_value("#ai-masked")
    assert CUSTOMER not in masked and PHONE not in masked and "<電話番号_1>" in masked and "<氏名_1>" in masked
    screenshot(page, "aiuse-template-findings-desktop")
    page.click("button[data-copy-target=ai-masked]")
    page.wait_for_selector("button[data-copy-target=ai-masked]:has-text('コピーしました')")
    assert page.evaluate("navigator.clipboard.readText()") == masked

    # The rules Q&A answers the question from the guideline, with document, version and section.
    page.click("nav.mainnav >> text=ルールQ&A")
    page.fill("textarea[name=question]", "生成AIに入力してはいけない情報は？")
    page.click("form.qa-form button[type=submit]")
    page.wait_for_selector(".qa-citation")
    first = page.locator(".qa-citation").first
    assert "生成AI利用ガイドライン" in first.inner_text() and "第2版" in first.inner_text()
    assert "5 データ入力に際して注意すべき事項" in first.inner_text()
    assert "マイナンバーは入力しない" in first.inner_text()
    screenshot(page, "aiuse-rules-answer-desktop")

    # Not covered: said so, with whom to ask.
    page.fill("textarea[name=question]", "有給休暇は年に何日もらえますか")
    page.click("form.qa-form button[type=submit]")
    page.wait_for_selector(".qa-contacts")
    assert "総務部 内線201" in page.inner_text(".qa-contacts")
    screenshot(page, "aiuse-rules-not-found-desktop")

    # Hostile question: HTML and script shown as text, nothing runs.
    page.fill("textarea[name=question]", "<script>alert('q')</script><img src=x onerror=alert(2)> 入力禁止の情報は？")
    page.click("form.qa-form button[type=submit]")
    page.wait_for_selector(".qa-asked")
    assert "<script>alert('q')</script>" in page.inner_text(".qa-asked")
    page.fill("textarea[name=question]", "あ" * 100 * 1024)
    page.click("form.qa-form button[type=submit]")
    page.wait_for_selector(".field .error")
    assert "2,000文字以内" in page.inner_text(".field .error")
    assert dialogs == []
    # The refused 100 kB question is answered 400 (the browser logs that status); nothing else went wrong.
    assert [e for e in page.console_errors if "status of 400" not in e] == []

    # The owner uploads an encrypted PDF: refused with a message.
    owner = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900})
    owner_page = owner.new_page()
    login(owner_page, live_server, "alice@example.jp", PASSWORD)
    owner_page.goto(f"{base}/rules/files/")
    owner_page.set_input_files("input[name=file]", str(_encrypted_pdf(tmp_path)))
    owner_page.click("#qa-upload ~ form button[type=submit], section:has(#qa-upload) form button[type=submit]")
    owner_page.wait_for_selector(".field .error")
    assert "パスワードで保護された（暗号化された）PDFは読み込めません" in owner_page.inner_text(".field .error")
    screenshot(owner_page, "aiuse-rule-file-refused-desktop")
    owner_page.goto(f"{base}/ai/uses/usage/")
    assert owner_page.locator(".uc-matrix").count() == 1
    screenshot(owner_page, "aiuse-usage-desktop")
    owner.close()

    # The same on a phone.
    login(phone_page, live_server, "bob@example.jp", PASSWORD)
    phone_page.goto(f"{base}/ai/uses/")
    screenshot(phone_page, "aiuse-catalogue-phone")
    phone_page.goto(f"{base}/ai/uses/inquiry-reply/reply-draft/")
    phone_page.fill("textarea[name=p_inquiry]", f"{CUSTOMER}様（{PHONE}）から部品の交換依頼")
    phone_page.fill("textarea[name=p_policy]", "14日以内は無償交換")
    phone_page.click("button[value=check]")
    phone_page.wait_for_selector(".ai-highlight mark")
    screenshot(phone_page, "aiuse-template-findings-phone")
    phone_page.goto(f"{base}/rules/")
    phone_page.fill("textarea[name=question]", "生成AIに入力してはいけない情報は？")
    phone_page.click("form.qa-form button[type=submit]")
    phone_page.wait_for_selector(".qa-citation")
    screenshot(phone_page, "aiuse-rules-answer-phone")


def test_the_pages_in_english(browser, live_server, login, screenshot, alice, bob, org):
    _seed(org, alice)
    context = browser.new_context(locale="en-GB", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, live_server, "bob@example.jp", PASSWORD)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    base = f"{live_server.url}/o/{org.id}"
    page.goto(f"{base}/ai/uses/?department=customer-support")
    assert page.locator("h1").inner_text() == "Generative AI use cases"
    screenshot(page, "aiuse-catalogue-en")
    page.goto(f"{base}/ai/uses/inquiry-reply/reply-draft/")
    page.fill("textarea[name=p_inquiry]", "Mr Tanaka (090-1234-5678) says some parts arrived scratched.")
    page.fill("textarea[name=p_policy]", "Defects reported within 14 days are replaced free of charge.")
    page.click("button[value=check]")
    page.wait_for_selector(".ai-highlight mark")
    screenshot(page, "aiuse-template-findings-en")
    page.goto(f"{base}/rules/")
    page.fill("textarea[name=question]", "生成AIに入力してはいけない情報は？")
    page.click("form.qa-form button[type=submit]")
    page.wait_for_selector(".qa-citation")
    assert "Your rules answer this question here:" in page.inner_text(".qa-result")
    screenshot(page, "aiuse-rules-answer-en")
    context.close()
